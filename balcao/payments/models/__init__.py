"""Payments' data: payments received and the receipts they issue."""

from balcao.payments.models.multibanco import (
    MultibancoFile,
    MultibancoFileEvent,
    MultibancoLine,
    MultibancoLineEvent,
    PendingMultibancoLine,
    QueueReason,
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
    "MultibancoFile",
    "MultibancoFileEvent",
    "MultibancoLine",
    "MultibancoLineEvent",
    "Payment",
    "PaymentMethod",
    "PendingMultibancoLine",
    "QueueReason",
    "Receipt",
    "ReceiptLine",
]
