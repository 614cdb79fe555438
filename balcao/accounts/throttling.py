"""Login throttling (django-axes): whose attempts count together, and when they may retry."""

import datetime

from django.conf import settings
from django.db.models import Max
from django.utils import timezone


def throttle_key(request, credentials) -> str:
    """django-axes: the username an attempt counts against (AXES_USERNAME_CALLABLE).

    Case and the choice of username or e-mail do not give an attacker fresh attempts:
    "ANA", "ana" and ana's e-mail all count as "ana".
    """
    from balcao.accounts.models import User

    value = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    value = value.strip().lower()
    if "@" in value:
        username = (
            User.objects.filter(email__iexact=value).values_list("username", flat=True).first()
        )
        if username:
            return username.lower()
    return value


def retry_time(request, credentials) -> datetime.datetime:
    """When this username may try again from this address: the last failure + the cool-off."""
    from axes.models import AccessAttempt

    last = AccessAttempt.objects.filter(
        username=throttle_key(request, credentials),
        ip_address=getattr(request, "axes_ip_address", None),
    ).aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + settings.AXES_COOLOFF_TIME
