"""The utility's master data, and the portal's subscriptions to it.

`master_data`: customers, billing accounts, installations, meters and contracts (the
utility's records). `subscriptions`: a portal user's claim to a contract and its
activation (keys, letters). Every model is importable from here,
``from balcao.contracts.models import Contract``.
"""

from balcao.contracts.models.master_data import (
    BillingAccount,
    Contract,
    ContractEvent,
    Customer,
    Installation,
    Meter,
)
from balcao.contracts.models.subscriptions import (
    ActivationKey,
    Letter,
    Subscription,
    SubscriptionEvent,
)

__all__ = [
    "ActivationKey",
    "BillingAccount",
    "Contract",
    "ContractEvent",
    "Customer",
    "Installation",
    "Letter",
    "Meter",
    "Subscription",
    "SubscriptionEvent",
]
