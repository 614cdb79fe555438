"""The user's own hold on a contract: its custom name, and taking it off the portal."""

from django.db import transaction
from django.utils import timezone

from balcao.accounts.models import User
from balcao.contracts.models import Subscription
from balcao.contracts.services.workflow import (
    Kind,
    Status,
    lock_row,
    record_event,
    revoke_keys,
)
from balcao.core.transitions import transition


@transaction.atomic
def rename_subscription(
    *, subscription: Subscription, custom_name: str, user: User
) -> Subscription:
    """The custom name ("Nome personalizado", manual section 2 point 2b) is the user's own."""
    subscription = lock_row(subscription)
    old = subscription.custom_name
    subscription.custom_name = custom_name
    subscription.full_clean(exclude=["user", "contract"])
    subscription.save(update_fields=["custom_name"])
    record_event(subscription, Kind.RENAMED, user, f"{old} → {custom_name}")
    return subscription


@transaction.atomic
def remove_subscription(*, subscription: Subscription, user: User) -> Subscription:
    """ "Remover contrato": off the user's portal; the contract itself is untouched."""
    subscription = lock_row(subscription)
    revoke_keys(subscription, timezone.now())
    subscription.letters.filter(printed_at__isnull=True).delete()
    transition(subscription, Status.REMOVED, kind=Kind.REMOVED, actor=user)
    return subscription
