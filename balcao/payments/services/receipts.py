"""Registering and reversing payments: the only writers of Payment, Receipt and ReceiptLine.

``register_payment`` records the money, issues its receipt (RG, gapless in its series, with
its ATCUD) and moves every invoice it settles in full to "Paga", in one transaction, with
the invoices and the receipt series locked (SELECT … FOR UPDATE) so that two workers can
neither settle one invoice twice nor take one number twice. ``reverse_payment`` undoes
one: a reversing record with its reason, the receipt cancelled, the invoices "Por pagar".
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.billing.models import DocumentType, Invoice, InvoiceSeries
from balcao.billing.qr_code import FINAL_CONSUMER_NIF
from balcao.billing.services.invoices import series_for
from balcao.contracts.models import BillingAccount
from balcao.core.money import round_money
from balcao.core.transitions import transition
from balcao.payments.models import Payment, PaymentMethod, Receipt, ReceiptLine

ZERO = Decimal("0.00")


class PaymentError(ValueError):
    """A payment that cannot be registered or reversed as asked; the message, in Portuguese,
    says why and what to do (the admin shows it next to the field)."""


@dataclass(frozen=True)
class Allocation:
    """How much of one invoice a payment settles."""

    invoice: Invoice
    amount: Decimal


def settled_amount(invoice: Invoice) -> Decimal:
    """What the invoice's active receipts settle of it."""
    total = ReceiptLine.objects.filter(
        invoice=invoice, receipt__status=Receipt.Status.ISSUED
    ).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def open_amount(invoice: Invoice) -> Decimal:
    """What is still to be paid of an invoice (0 for a credit note or a cancelled one)."""
    if invoice.document_type != DocumentType.INVOICE or invoice.status == Invoice.Status.CANCELLED:
        return ZERO
    return invoice.gross_total - settled_amount(invoice)


def settle_in_full(invoices: Sequence[Invoice]) -> list[Allocation]:
    """Allocations that pay what is still open of each invoice."""
    return [Allocation(invoice, open_amount(invoice)) for invoice in invoices]


def _customer_snapshot(account: BillingAccount) -> dict[str, str]:
    customer = account.customer
    return {
        "customer_nif": customer.nif or FINAL_CONSUMER_NIF,
        "customer_name": customer.name,
        "customer_address": str(account.billing_address),
    }


def _next_receipt_number(series: InvoiceSeries, issue_date: datetime.date) -> int:
    if series.last_issue_date and issue_date < series.last_issue_date:
        raise PaymentError(
            f"{series}: {issue_date} is before its last receipt ({series.last_issue_date})."
        )
    series.last_number += 1
    series.last_issue_date = issue_date
    series.save(update_fields=["last_number", "last_issue_date"])
    return series.last_number


@transaction.atomic
def register_payment(
    *,
    account: BillingAccount,
    method: str,
    paid_at: datetime.datetime,
    amount: Decimal,
    allocations: Sequence[Allocation],
    source: str,
    transaction_id: str = "",
    actor: User | None = None,
    issue_date: datetime.date | None = None,
) -> Payment:
    """Record a payment of ``amount`` on ``account`` that settles ``allocations``, and issue
    its receipt. Raises PaymentError when the allocations do not add up to the amount, an
    invoice is not this account's, is not open, or would be paid beyond its total."""
    amount = round_money(amount)
    if amount <= ZERO:
        raise PaymentError(_("Indique um montante superior a 0,00 €."))
    if not allocations:
        raise PaymentError(_("Escolha pelo menos uma fatura a pagar."))
    if sum((round_money(a.amount) for a in allocations), ZERO) != amount:
        raise PaymentError(
            _("O montante pago não é a soma do que liquida de cada fatura: corrija-o.")
        )
    PaymentMethod(method)  # a known method, or ValueError
    # Lock the invoices in one order (pk) so that two payments cannot deadlock.
    pks = sorted({allocation.invoice.pk for allocation in allocations})
    locked = {
        invoice.pk: invoice
        for invoice in Invoice.objects.select_for_update().filter(pk__in=pks).order_by("pk")
    }
    for allocation in allocations:
        invoice = locked[allocation.invoice.pk]
        if invoice.account_id != account.pk:
            raise PaymentError(
                _("A fatura %(number)s não é da conta %(account)s: escolha as faturas desta conta.")
                % {"number": invoice.number, "account": account.account_number}
            )
        if not invoice.is_open:
            raise PaymentError(
                _("A fatura %(number)s já não está por pagar: atualize a lista.")
                % {"number": invoice.number}
            )
        if round_money(allocation.amount) <= ZERO:
            raise PaymentError(
                _("Indique um valor superior a 0,00 € para a fatura %(number)s.")
                % {"number": invoice.number}
            )
        if round_money(allocation.amount) > open_amount(invoice):
            raise PaymentError(
                _("O valor para a fatura %(number)s excede o que falta pagar: reduza-o.")
                % {"number": invoice.number}
            )

    payment = Payment.objects.create(
        account=account,
        method=method,
        paid_at=paid_at,
        amount=amount,
        source=source,
        transaction_id=transaction_id,
        created_by=actor,
    )
    issue_date = issue_date or timezone.localdate()
    series_pk = series_for(DocumentType.RECEIPT).pk
    series = InvoiceSeries.objects.select_for_update().get(pk=series_pk)
    sequence = _next_receipt_number(series, issue_date)
    receipt = Receipt.objects.create(
        series=series,
        sequence=sequence,
        number=series.document_number(sequence),
        atcud=series.atcud(sequence),
        payment=payment,
        account=account,
        issue_date=issue_date,
        system_entry_at=timezone.now().replace(microsecond=0),
        gross_total=amount,
        **_customer_snapshot(account),
    )
    ReceiptLine.objects.bulk_create(
        ReceiptLine(
            receipt=receipt,
            position=position,
            invoice=locked[allocation.invoice.pk],
            amount=round_money(allocation.amount),
        )
        for position, allocation in enumerate(allocations, start=1)
    )
    for pk in pks:
        invoice = locked[pk]
        if open_amount(invoice) == ZERO:
            transition(invoice, Invoice.Status.PAID, actor=actor, note=receipt.number)
    _keep_receipt_pdf_on_commit(receipt)
    return payment


@transaction.atomic
def reverse_payment(payment: Payment, *, reason: str, actor: User | None = None) -> Payment:
    """Reverse a payment registered by mistake: a reversing record with the reason, its
    receipt cancelled, and every invoice it had paid back to "Por pagar"."""
    reason = reason.strip()
    if not reason:
        raise PaymentError(_("Diga porque anula o pagamento."))
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.is_reversal:
        raise PaymentError(_("Uma anulação não pode ser anulada."))
    if Payment.objects.filter(reverses=payment).exists():
        raise PaymentError(_("Este pagamento já foi anulado."))
    reversal = Payment.objects.create(
        account_id=payment.account_id,
        method=payment.method,
        paid_at=timezone.now(),
        amount=payment.amount,
        source=payment.source,
        reverses=payment,
        reason=reason,
        created_by=actor,
    )
    receipt = Receipt.objects.select_for_update().get(payment=payment)
    receipt.status = Receipt.Status.CANCELLED
    receipt.save(update_fields=["status"])
    invoice_pks = receipt.lines.values_list("invoice_id", flat=True)
    for invoice in Invoice.objects.select_for_update().filter(pk__in=invoice_pks).order_by("pk"):
        if invoice.status == Invoice.Status.PAID:
            transition(
                invoice,
                Invoice.Status.ISSUED,
                actor=actor,
                kind="reopened",
                note=f"{receipt.number}: {reason}",
            )
    return reversal


def _keep_receipt_pdf_on_commit(receipt: Receipt) -> None:
    """The receipt's PDF is drawn once, in the background, after it commits (never for a
    rollback); BILLING_RENDER_PDF off leaves it to a later ``keep_receipt_pdf``."""
    if not settings.BILLING_RENDER_PDF:
        return
    from balcao.payments.tasks import keep_receipt_pdf_task

    receipt_id = receipt.pk
    transaction.on_commit(lambda: keep_receipt_pdf_task.enqueue(receipt_id=receipt_id))
