"""Single-use links sent by e-mail: confirming an address, confirming a new one.

The registration's confirmation link is signed (SECRET_KEY) and carries the address it
confirms, so it stops working once used (the account is then confirmed already).
The link that confirms a new e-mail is opaque, like the password reset's: an HMAC of the
account's password hash, current e-mail and the new e-mail waiting for confirmation
(``User.pending_email``), valid EMAIL_CHANGE_TIMEOUT (24 hours). Using it, changing the
password or asking for another address voids it.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

EMAIL_CONFIRMATION_SALT = "balcao.accounts.confirm-email"


def max_age() -> int:
    return settings.EMAIL_CONFIRMATION_MAX_AGE


def make_confirmation_token(user) -> str:
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=EMAIL_CONFIRMATION_SALT)


def read_confirmation_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=EMAIL_CONFIRMATION_SALT, max_age=max_age())
    except signing.BadSignature:
        return None


class EmailChangeTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token, keyed to the e-mail change: what the hash covers changes with
    the password, the current e-mail and the new one, so the link works once."""

    key_salt = "balcao.accounts.tokens.EmailChangeTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        # Not the last login (as the reset has): signing in again must not void the link.
        return (
            f"{user.pk}{user.password}{timestamp}"
            f"{(user.email or '').lower()}\x00{(user.pending_email or '').lower()}"
        )

    def check_token(self, user, token):
        """As Django's, with this link's own lifetime (EMAIL_CHANGE_TIMEOUT)."""
        if not (user and token and user.pending_email):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(
                self._make_token_with_timestamp(user, timestamp, secret), token
            ):
                break
        else:
            return False
        return self._num_seconds(self._now()) - timestamp <= settings.EMAIL_CHANGE_TIMEOUT


email_change_tokens = EmailChangeTokenGenerator()
