"""What the customer's pages show of how an invoice is being paid."""

import datetime
from typing import Any

from django.db.models import OuterRef, Subquery

from balcao.billing.documents import direct_debit_notice, invoice_multibanco_reference
from balcao.billing.models import DirectDebitMandate, Invoice
from balcao.payments.bank_files import reason_text
from balcao.payments.models import DirectDebitCollection, Receipt


def invoice_payment_context(invoice: Invoice, today: datetime.date) -> dict[str, Any]:
    """The invoice page's payment block: the receipts that settle it (newest first) and its
    direct debit: the pre-notification (amount, masked account, debit date) while it is to
    be debited, or, once the bank returned it, why, the new due date and its Multibanco
    reference (``multibanco`` then replaces billing's, which a direct-debit account lacks).
    """
    receipts = list(
        Receipt.objects.filter(lines__invoice=invoice, status=Receipt.Status.ISSUED)
        .select_related("payment")
        .order_by("-issue_date", "-pk")
        .distinct()
    )
    context: dict[str, Any] = {"receipts": receipts, "collection": None, "debit_notice": None}
    # One query: the invoice's debit (if it went to the bank) and the IBAN of its account's
    # mandate in force (for the pre-notification).
    active_iban = DirectDebitMandate.objects.filter(
        account_id=OuterRef("account_id"), status=DirectDebitMandate.Status.ACTIVE
    ).values("iban")[:1]
    row = (
        Invoice.objects.filter(pk=invoice.pk)
        .select_related("direct_debit_collection__batch", "direct_debit_collection__mandate")
        .annotate(active_iban=Subquery(active_iban))
        .get()
    )
    try:
        collection = row.direct_debit_collection
    except DirectDebitCollection.DoesNotExist:
        collection = None
    context["collection"] = collection
    if not invoice.is_open:
        return context
    if collection is not None and collection.status == DirectDebitCollection.Status.RETURNED:
        context["return_reason"] = reason_text(collection.reason_code)
        context["multibanco"] = invoice_multibanco_reference(invoice)
    elif collection is not None and collection.status == DirectDebitCollection.Status.SENT:
        # In a file the bank has: it is debited on its date, even if the mandate was revoked
        # since; no Multibanco reference, so that it is not paid twice.
        context["multibanco"] = None
    elif row.active_iban:  # the annotation
        mandate = DirectDebitMandate(iban=row.active_iban)
        context["debit_notice"] = direct_debit_notice(invoice, mandate=mandate)
    return context
