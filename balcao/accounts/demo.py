"""Demo users: the one helper every app's demo module uses (accounts owns users).

Every demo user's password is DEMO_PASSWORD (the README's); they have confirmed their
e-mail and accepted the terms, so they sign in at once.
"""

from django.utils import timezone

from balcao.accounts.models import User

DEMO_PASSWORD = "Leiria-2026!"
DEMO_TERMS_VERSION = "2026-01"


def demo_user(username: str, *, email: str, first_name: str, last_name: str, **extra) -> User:
    """A ready-to-use demo account; ``extra`` sets other User fields (nif, is_staff, …)."""
    now = timezone.now()
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        email_confirmed_at=now,
        terms_version=DEMO_TERMS_VERSION,
        terms_accepted_at=now,
        **extra,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user
