"""Absolute links to this site, for what leaves it: e-mails, letters, reminders."""

from django.conf import settings
from django.http import HttpRequest


def absolute_url(path: str, *, request: HttpRequest | None = None) -> str:
    """The full address of ``path`` (a reverse() result).

    With the request that caused the message, its own scheme and host (the address the
    user is on, one of ALLOWED_HOSTS); without one (background tasks, commands, the
    admin's batch actions), SITE_URL.
    """
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.SITE_URL.rstrip("/") + path
