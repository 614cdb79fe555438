"""Login throttling (django-axes): whose attempts count together, and when they may retry.

Two limits, both counted over the cool-off (AXES_COOLOFF_TIME):
- a username from one address (AXES_FAILURE_LIMIT, 5): someone guessing a password is held
  back, while the account's owner, from their own address, still signs in;
- one address whatever the usernames (AXES_ADDRESS_FAILURE_LIMIT, 30): password spraying,
  one common password tried against many accounts, stops too.
The address is REMOTE_ADDR, or behind our own proxies (TRUSTED_PROXY_COUNT, set when
BEHIND_TLS_PROXY is on) the client's address as the nearest of them wrote it: otherwise every
client would share the proxy's address and five failures from anywhere would lock the owner out.
"""

import datetime
import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


def client_address(request) -> str | None:
    """django-axes (AXES_CLIENT_IP_CALLABLE): the address a request comes from.

    Each of our proxies appends the address it received the request from to X-Forwarded-For,
    so with N of them the client is the N-th entry from the right; whatever stands to its left
    was written by the client and is ignored. Without trusted proxies the header is never read.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxies:
        return remote  # not through our proxies (or misconfigured): the connection's address
    try:
        return str(ipaddress.ip_address(hops[-proxies]))
    except ValueError:
        return remote


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


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class ThrottleHandler(AxesDatabaseHandler):
    """django-axes (AXES_HANDLER) with a limit per username + address and one per address.

    AXES_LOCKOUT_PARAMETERS lists the two groups, [username + address] then [address]; axes
    compares a single number with AXES_FAILURE_LIMIT, so the address's failures are shifted to
    reach that limit exactly when they reach AXES_ADDRESS_FAILURE_LIMIT.
    """

    def get_failures(self, request, credentials=None) -> int:
        pair, address = (_failures(a) for a in self.get_user_attempts(request, credentials))
        shift = settings.AXES_ADDRESS_FAILURE_LIMIT - settings.AXES_FAILURE_LIMIT
        return max(pair, address - shift)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A good password clears that username's failures only, not the address's count
        (or signing in to one's own account would reset a spraying run)."""
        pair = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair.delete()
        return count


def retry_time(request, credentials) -> datetime.datetime:
    """When this username may try again from this address: the last failure + the cool-off."""
    from axes.models import AccessAttempt

    address = getattr(request, "axes_ip_address", None)
    attempts = AccessAttempt.objects.filter(ip_address=address)
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    if _failures(attempts.filter(attempt_time__gte=since)) < settings.AXES_ADDRESS_FAILURE_LIMIT:
        attempts = attempts.filter(username=throttle_key(request, credentials))
    last = attempts.aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + settings.AXES_COOLOFF_TIME
