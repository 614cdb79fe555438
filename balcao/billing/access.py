"""What a portal user may reach of billing: the documents of their own active contracts.

An invoice of another user's contract, of a contract whose subscription is not (or no
longer) active, and a number that does not exist all answer 404, so that nothing reveals
which invoices exist.
"""

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from balcao.billing.models import Invoice
from balcao.contracts.models import Subscription


def customer_invoices(user) -> QuerySet[Invoice]:
    """Every document (invoices and credit notes) of the user's active subscriptions."""
    if not user.is_authenticated:
        return Invoice.objects.none()
    contracts = Subscription.objects.filter(user=user, status=Subscription.Status.ACTIVE).values(
        "contract_id"
    )
    return Invoice.objects.filter(contract_id__in=contracts)


def get_invoice_for_user(
    user, number: str, annotations: Mapping[str, Any] | None = None
) -> Invoice:
    """The user's document with this number ("FT 2026A/123"), with its contract, or 404.

    ``annotations``: columns read with the invoice in the same query (what a page shows of
    it besides the document: the previous invoice, how it is being paid), so that a layer
    above adds its state without a query of its own."""
    invoices = customer_invoices(user).select_related("contract", "account", "corrects")
    if annotations:
        invoices = invoices.annotate(**annotations)
    return get_object_or_404(invoices, number=number)
