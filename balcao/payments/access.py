"""What a portal user may reach of payments: the receipts of their own invoices.

A receipt is the user's when it settles an invoice of one of their active subscriptions
(``billing.access.customer_invoices``): another user's receipt, one of a contract no longer
theirs and a number that does not exist all answer 404 alike.
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from balcao.billing.access import customer_invoices
from balcao.payments.models import Receipt, ReceiptLine


def customer_receipts(user) -> QuerySet[Receipt]:
    """Every receipt that settles an invoice of the user's active subscriptions."""
    if not user.is_authenticated:
        return Receipt.objects.none()
    theirs = ReceiptLine.objects.filter(
        receipt=OuterRef("pk"), invoice__in=customer_invoices(user).values("pk")
    )
    return Receipt.objects.filter(Exists(theirs))


def get_receipt_for_user(user, number: str) -> Receipt:
    """The user's receipt with this number ("RG 2026A/12"), or 404."""
    return get_object_or_404(customer_receipts(user), number=number)
