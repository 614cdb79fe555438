"""Payments' data: payments received and the receipts they issue; SEPA direct debits."""

from balcao.payments.models.direct_debit import (
    DirectDebitBatch,
    DirectDebitCollection,
    SequenceType,
)
from balcao.payments.models.receipts import (
    COUNTER_METHODS,
    Payment,
    PaymentMethod,
    Receipt,
    ReceiptLine,
)

__all__ = [
    "COUNTER_METHODS",
    "DirectDebitBatch",
    "DirectDebitCollection",
    "Payment",
    "PaymentMethod",
    "Receipt",
    "ReceiptLine",
    "SequenceType",
]
