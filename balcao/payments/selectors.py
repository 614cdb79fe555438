"""What the customer's pages show of how an invoice is being paid."""

import datetime
from typing import Any

from balcao.billing.documents import direct_debit_notice, invoice_multibanco_reference
from balcao.billing.models import Invoice
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
    collection = (
        DirectDebitCollection.objects.filter(invoice=invoice)
        .select_related("batch", "mandate")
        .first()
    )
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
    else:
        context["debit_notice"] = direct_debit_notice(invoice)
    return context
