"""Invoices held out of collection: a complaint about the invoice is open (issue 13).

While a customer contests an invoice ("Reclamar desta fatura"), it gets no reminder, no
cut-off warning, and is left out of the direct-debit file. Every such step filters with
``not_on_hold``.
"""

from django.db.models import Exists, OuterRef, QuerySet

from balcao.billing.models import Invoice
from balcao.payments.models import PaymentPlan
from balcao.service_requests.models import RequestType, ServiceRequest


def _open_complaint():
    return ServiceRequest.objects.filter(
        invoice=OuterRef("pk"), request_type=RequestType.COMPLAINT
    ).exclude(status=ServiceRequest.Status.CLOSED)


def not_on_hold(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """The invoices of ``invoices`` that no open complaint holds."""
    return invoices.exclude(Exists(_open_complaint()))


def is_on_hold(invoice: Invoice) -> bool:
    return (
        ServiceRequest.objects.filter(invoice=invoice, request_type=RequestType.COMPLAINT)
        .exclude(status=ServiceRequest.Status.CLOSED)
        .exists()
    )


def not_in_payment_plan(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """The invoices of ``invoices`` that no payment plan splits: an invoice paid in
    instalments is paid instalment by instalment (Multibanco or counter), so neither a
    direct debit of its whole amount nor an invoice-level reminder or warning applies."""
    return invoices.exclude(Exists(PaymentPlan.objects.filter(invoice=OuterRef("pk"))))
