"""Payments' data: payments received and the receipts they issue; Multibanco files; SEPA
direct debits; payment plans; the reminders and cut-off warnings of unpaid invoices."""

from balcao.payments.models.direct_debit import (
    BankReturnFile,
    BankReturnFileEvent,
    DirectDebitBatch,
    DirectDebitCollection,
    SequenceType,
)
from balcao.payments.models.dunning import DunningNotice, WarningRun, WarningRunEvent
from balcao.payments.models.multibanco import (
    MultibancoFile,
    MultibancoFileEvent,
    MultibancoLine,
    MultibancoLineEvent,
    PendingMultibancoLine,
    QueueReason,
)
from balcao.payments.models.plans import (
    MAX_INSTALMENTS,
    MIN_INSTALMENTS,
    Instalment,
    PaymentPlan,
)
from balcao.payments.models.receipts import (
    COUNTER_METHODS,
    Payment,
    PaymentMethod,
    Receipt,
    ReceiptLine,
)
from balcao.payments.models.refunds import Refund, RefundMethod

__all__ = [
    "BankReturnFile",
    "BankReturnFileEvent",
    "COUNTER_METHODS",
    "DirectDebitBatch",
    "DirectDebitCollection",
    "DunningNotice",
    "Instalment",
    "MAX_INSTALMENTS",
    "MIN_INSTALMENTS",
    "MultibancoFile",
    "MultibancoFileEvent",
    "MultibancoLine",
    "MultibancoLineEvent",
    "Payment",
    "PaymentMethod",
    "PaymentPlan",
    "PendingMultibancoLine",
    "QueueReason",
    "Receipt",
    "ReceiptLine",
    "Refund",
    "RefundMethod",
    "SequenceType",
    "WarningRun",
    "WarningRunEvent",
]
