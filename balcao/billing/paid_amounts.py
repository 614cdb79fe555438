"""What a customer has paid of an invoice, as the app that records payments counts it.

Billing issues and cancels invoices but does not record payments: ``payments`` does (its
receipts), and it sits above billing, so billing cannot ask it. It registers its count here
from its ``AppConfig.ready`` instead, as it registers its payables; the credit note's e-mail
reads it to say how much of the invoice it cancels is refunded.
"""

from collections.abc import Callable
from decimal import Decimal

from balcao.billing.models import Invoice

ZERO = Decimal("0.00")

PaidAmount = Callable[[Invoice], Decimal]
_count: PaidAmount | None = None


def register_paid_amount(count: PaidAmount) -> None:
    """Count what an invoice has received with ``count`` (payments, from AppConfig.ready)."""
    global _count
    _count = count


def paid_amount(invoice: Invoice) -> Decimal:
    """What the customer has paid of ``invoice`` and not had reversed; 0,00 € when no app
    records payments (nothing can have been paid)."""
    return _count(invoice) if _count is not None else ZERO
