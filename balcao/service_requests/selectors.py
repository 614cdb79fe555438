"""Reads that pages share: the customer's requests, the last one, pending changes."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from balcao.accounts.models import User
from balcao.contracts.models import Contract
from balcao.service_requests.models import (
    CHANGE_FIELDS,
    STRUCTURED_TYPES,
    RequestType,
    ServiceRequest,
)

# Changes of the billing account or of the holder concern every contract that shares them.
ACCOUNT_TYPES = frozenset(
    {
        RequestType.E_INVOICE_ON,
        RequestType.E_INVOICE_OFF,
        RequestType.DIRECT_DEBIT_ON,
        RequestType.BILLING_ADDRESS,
    }
)
CUSTOMER_TYPES = frozenset({RequestType.CONTACT_CHANGE})


def requests_for_user(user: User | AnonymousUser) -> QuerySet[ServiceRequest]:
    """The user's requests, newest first, with what the list shows, in one query."""
    if not user.is_authenticated:
        return ServiceRequest.objects.none()
    return (
        ServiceRequest.objects.filter(user=user)
        .select_related("contract")
        .order_by("-submitted_at", "-number")
    )


def latest_request_for_user(
    user: User | AnonymousUser, contract: Contract | None = None
) -> ServiceRequest | None:
    """The user's last request ("Último pedido", manual 6.1 iii): for the given contract
    (or with no contract, like an "Informação"), else of any contract.

    Without its contract: Início shows the request's own fields, and the join cost every
    visit of the home page a second model to build."""
    requests = requests_for_user(user).select_related(None)
    if contract is not None:
        requests = requests.filter(Q(contract=contract) | Q(contract__isnull=True))
    return requests.first()


def open_change_types(contract: Contract) -> set[str]:
    """The structured types with an open request that concerns this contract: its own, or
    one made through another contract on the same billing account (e-invoice, direct debit,
    billing address) or of the same holder (contacts)."""
    concerns = (
        Q(contract=contract)
        | Q(contract__account_id=contract.account_id, request_type__in=ACCOUNT_TYPES)
        | Q(contract__customer_id=contract.customer_id, request_type__in=CUSTOMER_TYPES)
    )
    return set(
        ServiceRequest.objects.filter(concerns, request_type__in=STRUCTURED_TYPES)
        .exclude(status=ServiceRequest.Status.CLOSED)
        .values_list("request_type", flat=True)
        .distinct()
    )


def pending_change_fields(contract: Contract) -> set[str]:
    """The contract detail's fields with a change waiting for the customer service
    (manual 6.2 point 2: until accepted, nothing changes and the page says it is pending)."""
    open_types = open_change_types(contract)
    return {field for field, types in CHANGE_FIELDS.items() if open_types & types}
