"""Payments for tests, registered through the real service (receipt, number, invoice paid):
``pay_invoice(invoice)`` is what billing's ``issue_month_invoice(paid=True)`` cannot do
(billing does not know payments)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from balcao.billing.models import Invoice
from balcao.payments.models import Instalment, Payment, PaymentMethod
from balcao.payments.services.invoice_requests import ask_for_instalments
from balcao.payments.services.plans import accept_payment_plan
from balcao.payments.services.receipts import Allocation, register_payment, settle_in_full


def pay_invoice(
    invoice: Invoice,
    *more: Invoice,
    method: str = PaymentMethod.CASH,
    amount: Decimal | None = None,
    paid_at: datetime.datetime | None = None,
    source: str = "Balcão",
    **kwargs,
) -> Payment:
    """Pay what is open of ``invoice`` (and of ``more``, the same account's), or ``amount``
    of the one invoice; ``kwargs`` go to register_payment (transaction_id, actor, …)."""
    invoices = [invoice, *more]
    if amount is None:
        allocations = settle_in_full(invoices)
        amount = sum((a.amount for a in allocations), Decimal("0.00"))
    else:
        allocations = [Allocation(invoice, amount)]
    return register_payment(
        account=invoice.account,
        method=method,
        paid_at=paid_at or timezone.now(),
        amount=amount,
        allocations=allocations,
        source=source,
        **kwargs,
    )


def plan_in_instalments(invoice: Invoice, user, clerk, instalments: int = 3) -> list[Instalment]:
    """The invoice split in ``instalments`` as the customer asks and the clerk accepts it
    (the first due on the invoice's due date), in order."""
    request = ask_for_instalments(
        user=user,
        invoice=invoice,
        instalments=instalments,
        description="",
        channel="email",
        contact_value=user.email,
    )
    plan = accept_payment_plan(
        service_request=request,
        instalments=instalments,
        first_due_date=invoice.due_date,
        actor=clerk,
        today=invoice.issue_date,
    )
    return list(plan.instalments.order_by("number"))
