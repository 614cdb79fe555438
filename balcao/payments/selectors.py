"""What the customer's pages show of how an invoice is being paid."""

import datetime
from typing import Any

from balcao.billing.models import Invoice
from balcao.payments.models import Receipt


def invoice_payment_context(invoice: Invoice, today: datetime.date) -> dict[str, Any]:
    """The invoice page's payment block: the receipts that settle it (newest first)."""
    receipts = list(
        Receipt.objects.filter(lines__invoice=invoice, status=Receipt.Status.ISSUED)
        .select_related("payment")
        .order_by("-issue_date", "-pk")
        .distinct()
    )
    return {"receipts": receipts}
