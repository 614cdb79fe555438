"""What every subscription service shares: the limits, the errors, the event writer.

The status moves through balcao.core.transitions.transition (Subscription.TRANSITIONS).
"""

import datetime

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


class SubscriptionRuleError(Exception):
    """A request the rules refuse; the message is for the person who asked."""


def record_event(
    subscription: Subscription, kind: str, actor: User | None = None, note: str = ""
) -> None:
    """An event that moves no status (a status move records its own, through transition)."""
    SubscriptionEvent.objects.create(subscription=subscription, kind=kind, actor=actor, note=note)


def lock_row(subscription: Subscription) -> Subscription:
    """The row again, locked until the transaction ends (a double click acts once)."""
    return Subscription.objects.select_for_update().get(pk=subscription.pk)


def revoke_keys(subscription: Subscription, now: datetime.datetime) -> None:
    subscription.keys.filter(used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
