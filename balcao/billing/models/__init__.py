"""Billing's data: direct debit mandates, tariffs, invoices and credit notes."""

from balcao.billing.models.deliveries import InvoiceDelivery, InvoicePrintRun
from balcao.billing.models.invoices import (
    DocumentType,
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    InvoiceSeries,
    IssuedDocumentError,
)
from balcao.billing.models.mandates import (
    DirectDebitMandate,
    MandateEvent,
    authorisation_text,
    validate_bic,
    validate_iban,
)
from balcao.billing.models.runs import BillingRun, BillingRunEvent, EstimateAdjustment
from balcao.billing.models.tariffs import Tariff, TariffInUse, TariffPrice, TariffService

__all__ = [
    "BillingRun",
    "BillingRunEvent",
    "EstimateAdjustment",
    "DirectDebitMandate",
    "DocumentType",
    "Invoice",
    "InvoiceDelivery",
    "InvoiceEvent",
    "InvoiceLine",
    "InvoicePrintRun",
    "InvoiceSeries",
    "IssuedDocumentError",
    "MandateEvent",
    "Tariff",
    "TariffInUse",
    "TariffPrice",
    "TariffService",
    "authorisation_text",
    "validate_bic",
    "validate_iban",
]
