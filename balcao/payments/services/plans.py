"""Payment plans: a clerk grants the instalments a customer asked for, and each is paid by
Multibanco (or at the counter) as a part payment of the invoice (issue 13).

The instalments split what is still open of the invoice to the cent, the last one taking
the remainder, one a month from the first due date. Each has a Multibanco reference made
with the invoice's sequence and the instalment's amount: two instalments of the same amount
share their reference, and a payment of it pays the earliest one still open.
"""

import calendar
import datetime
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.billing.models import Invoice
from balcao.billing.multibanco import MultibancoReference, multibanco_reference
from balcao.core.money import CENT, format_euros, round_money
from balcao.payments.models import (
    MAX_INSTALMENTS,
    MIN_INSTALMENTS,
    Instalment,
    Payment,
    PaymentMethod,
    PaymentPlan,
    ReceiptLine,
)
from balcao.payments.services.receipts import (
    Allocation,
    PaymentError,
    open_amount,
    register_payment,
)
from balcao.service_requests import services as request_services
from balcao.service_requests.models import RequestType, ServiceRequest


def split_amount(total: Decimal, count: int) -> list[Decimal]:
    """``total`` in ``count`` instalments to the cent: equal ones, the last taking the
    remainder (100,00 € in 3: 33,33 + 33,33 + 33,34)."""
    if count < 1:
        raise ValueError("At least one instalment.")
    total = round_money(total)
    each = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    return [each] * (count - 1) + [total - each * (count - 1)]


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def instalment_reference(invoice: Invoice, amount: Decimal) -> MultibancoReference:
    """The Multibanco reference of an instalment: the invoice's id, the instalment's amount."""
    return multibanco_reference(
        entity=settings.MULTIBANCO_ENTITY,
        sub_entity=settings.MULTIBANCO_SUB_ENTITY,
        document_id=invoice.sequence,
        amount=amount,
    )


@transaction.atomic
def accept_payment_plan(
    *,
    service_request: ServiceRequest,
    instalments: int,
    first_due_date: datetime.date,
    actor: User,
    today: datetime.date | None = None,
) -> PaymentPlan:
    """A clerk grants a payment plan request: the instalments (``instalments`` of them, one a
    month from ``first_due_date``) and the request closed as accepted, in one transaction.
    Raises ValidationError (the message for the clerk) when it cannot be granted."""
    today = today or timezone.localdate()
    if (
        service_request.request_type != RequestType.INSTALMENTS
        or service_request.invoice_id is None
    ):
        raise ValidationError(_("Este pedido não é um pedido de pagamento em prestações."))
    if not MIN_INSTALMENTS <= instalments <= MAX_INSTALMENTS:
        raise ValidationError(
            _("O número de prestações vai de %(min)d a %(max)d.")
            % {"min": MIN_INSTALMENTS, "max": MAX_INSTALMENTS}
        )
    if first_due_date < today:
        raise ValidationError(_("A primeira prestação não pode vencer antes de hoje."))
    invoice = Invoice.objects.select_for_update().get(pk=service_request.invoice_id)
    if not invoice.is_open:
        raise ValidationError(
            _("A fatura %(number)s já não está por pagar.") % {"number": invoice.number}
        )
    if PaymentPlan.objects.filter(invoice=invoice).exists():
        raise ValidationError(
            _("A fatura %(number)s já tem um plano de prestações.") % {"number": invoice.number}
        )
    remaining = open_amount(invoice)
    if remaining < CENT * instalments:
        raise ValidationError(_("O valor em dívida é pequeno demais para estas prestações."))
    plan = PaymentPlan.objects.create(invoice=invoice, request=service_request, created_by=actor)
    rows = Instalment.objects.bulk_create(
        Instalment(plan=plan, number=n, due_date=add_months(first_due_date, n - 1), amount=amount)
        for n, amount in enumerate(split_amount(remaining, instalments), start=1)
    )
    lines = "; ".join(
        _("%(n)d.ª de %(amount)s até %(date)s")
        % {
            "n": row.number,
            "amount": format_euros(row.amount),
            "date": row.due_date.strftime("%d/%m/%Y"),
        }
        for row in rows
    )
    request_services.close_accepted(
        service_request=service_request,
        actor=actor,
        resolution=_(
            "Pagamento em prestações aceite para a fatura %(number)s: %(lines)s. As referências "
            "Multibanco de cada prestação estão na página da fatura."
        )
        % {"number": invoice.number, "lines": lines},
    )
    return plan


@transaction.atomic
def pay_instalment(
    instalment: Instalment,
    *,
    method: str = PaymentMethod.MULTIBANCO,
    paid_at: datetime.datetime | None = None,
    source: str,
    transaction_id: str = "",
    actor: User | None = None,
) -> Payment:
    """Pay one instalment: a payment of its amount that settles that much of the invoice
    (a receipt of its own), and the instalment marked paid with that receipt line. The
    invoice becomes "Paga" with its last instalment. Raises PaymentError when it is paid.
    The invoice is locked before the instalment, as a Multibanco file's import does."""
    list(
        Invoice.objects.select_for_update(of=("self",))
        .filter(payment_plan__instalments=instalment.pk)
        .values_list("pk", flat=True)
    )
    locked = (
        Instalment.objects.select_for_update()
        .select_related("plan__invoice__account")
        .get(pk=instalment.pk)
    )
    if locked.is_paid:
        raise PaymentError(
            _("A prestação %(number)s da fatura %(invoice)s já está paga.")
            % {"number": locked.number, "invoice": locked.plan.invoice.number}
        )
    invoice = locked.plan.invoice
    payment = register_payment(
        account=invoice.account,
        method=method,
        paid_at=paid_at or timezone.now(),
        amount=locked.amount,
        allocations=[Allocation(invoice, locked.amount)],
        source=source,
        transaction_id=transaction_id,
        actor=actor,
    )
    locked.receipt_line = ReceiptLine.objects.get(receipt__payment=payment, invoice=invoice)
    locked.save(update_fields=["receipt_line"])
    return payment
