"""Legacy accounts get their NIF's contracts (manual section 5).

"Caso já tenha conta no Balcão Digital os contratos associados ao seu NIF serão migrados
automaticamente." Only for accounts imported from the old portal: an account created by
registration proves it holds a contract by activation (a code by e-mail or letter).
"""

from django.dispatch import receiver
from django.utils import timezone

from balcao.accounts.signals import legacy_account_imported
from balcao.contracts.models import Contract, Subscription, SubscriptionEvent


def default_custom_name(contract: Contract) -> str:
    """The installation's street and door, until the user renames it."""
    address = contract.installation.address
    return " ".join(part for part in (address.street, address.door) if part)[:60]


@receiver(legacy_account_imported, dispatch_uid="contracts_attach_legacy_contracts")
def attach_contracts_of_nif(sender, user, **kwargs) -> list[Subscription]:
    """Every ACTIVE contract whose holder's NIF is the account's: an active subscription."""
    if not user.is_legacy or not user.nif:
        return []
    contracts = (
        Contract.objects.filter(customer__nif=user.nif, status=Contract.Status.ACTIVE)
        .exclude(subscriptions__user=user, subscriptions__status=Subscription.Status.ACTIVE)
        .select_related("customer", "account", "installation__address")
        .order_by("contract_number")
    )
    now = timezone.now()
    subscriptions = []
    for contract in contracts:
        subscription = Subscription.objects.create(
            user=user,
            contract=contract,
            product=contract.product,
            cil=contract.installation.cil,
            customer_number=contract.customer.customer_number,
            account_number=contract.account.account_number,
            custom_name=default_custom_name(contract),
            status=Subscription.Status.ACTIVE,
            activated_at=now,
        )
        # Every state change is an event row (STYLE.md); no actor: the system did it.
        SubscriptionEvent.objects.create(
            subscription=subscription,
            kind=SubscriptionEvent.Kind.ACTIVATED,
            note="Conta do portal antigo: contrato do NIF migrado automaticamente.",
        )
        subscriptions.append(subscription)
    return subscriptions
