"""What every subscription service shares: the limits, the errors, the one status writer."""

import datetime
from collections.abc import Iterable

from balcao.accounts.models import User
from balcao.contracts.models import Subscription, SubscriptionEvent

LINK_VALIDITY = datetime.timedelta(hours=24)
CODE_VALIDITY_DAYS = 30
MAX_WRONG_CODES = 5
NEW_LETTER_INTERVAL = datetime.timedelta(days=7)
NEW_LINK_INTERVAL = datetime.timedelta(minutes=10)
MAX_PENDING_PER_USER = 10

Status = Subscription.Status
Kind = SubscriptionEvent.Kind


class TransitionNotAllowed(Exception):
    """A status change that Subscription.TRANSITIONS does not allow."""


class SubscriptionRuleError(Exception):
    """A request the rules refuse; the message is for the person who asked."""


def record_event(
    subscription: Subscription, kind: str, actor: User | None = None, note: str = ""
) -> None:
    SubscriptionEvent.objects.create(subscription=subscription, kind=kind, actor=actor, note=note)


def move(
    subscription: Subscription,
    to: str,
    *,
    kind: str,
    actor: User | None = None,
    note: str = "",
    fields: Iterable[str] = (),
) -> None:
    """The one place where a subscription's status changes: checked, saved, recorded."""
    if to not in Subscription.TRANSITIONS[subscription.status]:  # type: ignore[index]  # str key
        raise TransitionNotAllowed(f"{subscription.status} -> {to}")
    subscription.status = to
    subscription.save(update_fields=["status", *fields])
    record_event(subscription, kind, actor, note)


def lock_row(subscription: Subscription) -> Subscription:
    """The row again, locked until the transaction ends (a double click acts once)."""
    return Subscription.objects.select_for_update().get(pk=subscription.pk)


def revoke_keys(subscription: Subscription, now: datetime.datetime) -> None:
    subscription.keys.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
