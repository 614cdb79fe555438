"""Accounts of the old portal get their NIF's contracts (manual section 5).

"Caso já tenha conta no Balcão Digital os contratos associados ao seu NIF serão migrados
automaticamente." Only for accounts imported from the old portal: an account created by
registration proves it holds a contract by activation (a code by e-mail or letter).

``import_legacy_account`` is the one entry point (the ``import_legacy_accounts`` command
and the demo call it): it creates the account through accounts and attaches the contracts
here, in one transaction, as explicit calls (no signal).
"""

from django.db import transaction
from django.utils import timezone

from balcao.accounts.legacy import create_legacy_account
from balcao.accounts.models import User
from balcao.contracts.models import Contract, Subscription, SubscriptionEvent


@transaction.atomic
def import_legacy_account(*, username: str, email: str, nif: str, name: str) -> User:
    """An old-portal account with the active contracts of its NIF attached.

    Raises ValidationError (from accounts) for a bad NIF, e-mail or username, or one
    already taken; then nothing is stored.
    """
    user = create_legacy_account(username=username, email=email, nif=nif, name=name)
    attach_contracts_of_nif(user=user)
    return user


def default_custom_name(contract: Contract) -> str:
    """The installation's street and door, until the user renames it."""
    address = contract.installation.address
    return " ".join(part for part in (address.street, address.door) if part)[:60]


@transaction.atomic
def attach_contracts_of_nif(*, user: User) -> list[Subscription]:
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
