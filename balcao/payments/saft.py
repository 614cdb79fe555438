"""SAF-T (PT) 1.04_01's ``Payments`` section: the receipts (RG) issued in the month.

billing writes the file and its SalesInvoices (``balcao.billing.saft.write_saft``); this
section follows it, given as ``sections=[PaymentsSection(month)]`` by ``manage.py
export_saft`` (payments' command: billing does not know payments).

Readings of the rules (Portaria 302/2016, table 4.4), decided here:
- ``NumberOfEntries`` counts every receipt of the month, cancelled ones too;
  ``TotalDebit`` and ``TotalCredit`` add the lines of the receipts that are not cancelled
  (``PaymentStatus`` A), as the schema's notes for the control totals say.
- Each line settles one invoice: ``SourceDocumentID`` is the invoice (``OriginatingON``,
  ``InvoiceDate``) and the amount settled is a ``CreditAmount``.
- ``PaymentType`` RG (not the cash-VAT scheme): the lines carry no ``Tax``, so
  ``DocumentTotals`` have ``TaxPayable`` 0.00 and ``NetTotal`` = ``GrossTotal`` = the
  amount received.
- A cancelled receipt's ``PaymentStatusDate``, ``Reason`` and ``SourceID`` are the
  reversal's (when, why and who).
"""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils import timezone

from balcao.billing.saft import CHUNK, CustomerRow, SaftWriter, customer_id, entry_time, money
from balcao.payments.models import Payment, PaymentMethod, Receipt, ReceiptLine

PAYMENT_TYPE = "RG"
DEFAULT_SOURCE = "pagamentos"


def month_receipts(month: datetime.date) -> QuerySet[Receipt]:
    month = month.replace(day=1)
    end = (month + datetime.timedelta(days=32)).replace(day=1)
    return Receipt.objects.filter(issue_date__gte=month, issue_date__lt=end)


def _source(user) -> str:
    return user.username[:30] if user is not None else DEFAULT_SOURCE


class PaymentsSection:
    """The ``Payments`` section of ``month``'s file (a ``billing.saft.SaftSection``)."""

    def __init__(self, month: datetime.date):
        self.month = month.replace(day=1)
        self.receipts = month_receipts(self.month)
        self.number_of_entries = 0
        self.total_credit = Decimal("0.00")

    def customers(self) -> Iterable[CustomerRow]:
        return (
            self.receipts.order_by("account__customer__customer_number", "-issue_date", "-pk")
            .values_list(
                "account__customer__customer_number",
                "customer_nif",
                "customer_name",
                "customer_address",
            )
            .iterator(chunk_size=CHUNK)
        )

    def write(self, writer: SaftWriter) -> None:
        self.number_of_entries = self.receipts.count()
        self.total_credit = ReceiptLine.objects.filter(
            receipt__in=self.receipts, receipt__status=Receipt.Status.ISSUED
        ).aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
        ordered = (
            self.receipts.select_related(
                "account__customer",
                "payment__created_by",
                "payment__reversal__created_by",
            )
            .prefetch_related("lines__invoice")
            .order_by("series__code", "sequence")
            .iterator(chunk_size=CHUNK)
        )
        with writer.element("Payments"):
            writer.leaf("NumberOfEntries", self.number_of_entries)
            writer.leaf("TotalDebit", money(Decimal("0.00")))
            writer.leaf("TotalCredit", money(self.total_credit))
            for receipt in ordered:
                _write_receipt(writer, receipt)


def _write_receipt(writer: SaftWriter, receipt: Receipt) -> None:
    payment = receipt.payment
    reversal: Payment | None = getattr(payment, "reversal", None)
    cancelled = receipt.status == Receipt.Status.CANCELLED
    with writer.element("Payment"):
        writer.leaf("PaymentRefNo", receipt.number)
        writer.leaf("ATCUD", receipt.atcud)
        writer.leaf("Period", receipt.issue_date.month)
        writer.leaf("TransactionDate", f"{receipt.issue_date:%Y-%m-%d}")
        writer.leaf("PaymentType", PAYMENT_TYPE)
        with writer.element("DocumentStatus"):
            if cancelled and reversal is not None:
                writer.leaf("PaymentStatus", "A")
                writer.leaf("PaymentStatusDate", entry_time(reversal.created_at))
                writer.leaf("Reason", reversal.reason[:50])
                writer.leaf("SourceID", _source(reversal.created_by))
            else:
                writer.leaf("PaymentStatus", "N")
                writer.leaf("PaymentStatusDate", entry_time(receipt.system_entry_at))
                writer.leaf("SourceID", _source(payment.created_by))
            writer.leaf("SourcePayment", "P")
        with writer.element("PaymentMethod"):
            writer.leaf("PaymentMechanism", PaymentMethod(payment.method).saft_mechanism)
            writer.leaf("PaymentAmount", money(payment.amount))
            writer.leaf("PaymentDate", f"{timezone.localtime(payment.paid_at):%Y-%m-%d}")
        writer.leaf("SourceID", _source(payment.created_by))
        writer.leaf("SystemEntryDate", entry_time(receipt.system_entry_at))
        writer.leaf(
            "CustomerID",
            customer_id(receipt.account.customer.customer_number, receipt.customer_nif),
        )
        for line in receipt.lines.all():
            with writer.element("Line"):
                writer.leaf("LineNumber", line.position)
                with writer.element("SourceDocumentID"):
                    writer.leaf("OriginatingON", line.invoice.number)
                    writer.leaf("InvoiceDate", f"{line.invoice.issue_date:%Y-%m-%d}")
                writer.leaf("CreditAmount", money(line.amount))
        with writer.element("DocumentTotals"):
            writer.leaf("TaxPayable", money(Decimal("0.00")))
            writer.leaf("NetTotal", money(receipt.gross_total))
            writer.leaf("GrossTotal", money(receipt.gross_total))
