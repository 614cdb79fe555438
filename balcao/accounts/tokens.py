"""Single-use links sent by e-mail: confirming an address, confirming a new one.

The links are signed (SECRET_KEY) and carry the address they confirm, so they stop
working once used: after the confirmation the account no longer matches what the link
says (confirmed already, or the e-mail already changed). Password resets use Django's
own token generator, which does the same with the password hash.
"""

from django.conf import settings
from django.core import signing

EMAIL_CONFIRMATION_SALT = "balcao.accounts.confirm-email"
EMAIL_CHANGE_SALT = "balcao.accounts.change-email"


def max_age() -> int:
    return getattr(settings, "EMAIL_CONFIRMATION_MAX_AGE", 3 * 24 * 3600)


def make_confirmation_token(user) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=EMAIL_CONFIRMATION_SALT)


def read_confirmation_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=EMAIL_CONFIRMATION_SALT, max_age=max_age())
    except signing.BadSignature:
        return None


def make_email_change_token(user, new_email: str) -> str:
    data = {"u": user.pk, "old": user.email.lower(), "new": new_email}
    return signing.dumps(data, salt=EMAIL_CHANGE_SALT)


def read_email_change_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=max_age())
    except signing.BadSignature:
        return None
