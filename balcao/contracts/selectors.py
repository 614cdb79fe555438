"""Reads that pages and services share about contracts and subscriptions."""

from django.db.models import Q, QuerySet

from balcao.accounts.models import User
from balcao.contracts.models import Contract, Subscription


def matching_contract(*, cil: str, customer_number: str, account_number: str) -> Contract | None:
    """The one active contract whose installation, customer and account all have these numbers.

    None when nothing or more than one matches (a clerk then decides). Exact matches on
    the numbers' unique indexes (the forms give them in capitals, without spaces).
    """
    found = list(
        Contract.objects.filter(
            status=Contract.Status.ACTIVE,
            installation__cil=cil,
            customer__customer_number=customer_number,
            account__account_number=account_number,
        ).select_related("customer__correspondence_address", "installation")[:2]
    )
    return found[0] if len(found) == 1 else None


def user_holds(user: User, contract: Contract) -> bool:
    """True when the user already has this contract active in the portal."""
    return Subscription.objects.filter(
        user=user, contract=contract, status=Subscription.Status.ACTIVE
    ).exists()


def waiting_subscriptions(user: User) -> QuerySet[Subscription]:
    """The user's requests still open or answered no: "Em avaliação", "A aguardar ativação",
    "Bloqueado", "Rejeitado" — newest first."""
    return Subscription.objects.filter(
        user=user, status__in=[*Subscription.PENDING, Subscription.Status.REJECTED]
    ).order_by("-created_at", "-pk")


def subscriptions_on_their_way(user: User) -> QuerySet[Subscription]:
    """The user's requests on their way to active ("Em avaliação", "A aguardar ativação"),
    newest first: what the home page shows a user who has no contract yet."""
    return Subscription.objects.filter(
        user=user,
        status__in=[Subscription.Status.EVALUATING, Subscription.Status.AWAITING_ACTIVATION],
    ).order_by("-created_at", "-pk")


def has_open_request(user: User, *, cil: str, customer_number: str, account_number: str) -> bool:
    """True when the user already holds or asked for a contract with these three numbers."""
    return Subscription.objects.filter(
        user=user,
        status__in=[*Subscription.PENDING, Subscription.Status.ACTIVE],
        cil__iexact=cil,
        customer_number__iexact=customer_number,
        account_number__iexact=account_number,
    ).exists()


def count_pending(user: User) -> int:
    return Subscription.objects.filter(user=user, status__in=Subscription.PENDING).count()


def candidate_contracts(subscription: Subscription) -> QuerySet[Contract]:
    """For the clerk: contracts that share at least one number with what the user typed."""
    return (
        Contract.objects.filter(
            Q(installation__cil=subscription.cil)
            | Q(customer__customer_number=subscription.customer_number)
            | Q(account__account_number=subscription.account_number)
        )
        .select_related("customer__correspondence_address", "account", "installation__address")
        .order_by("contract_number")[:20]
    )
