"""A clerk's resolution of a queued Multibanco line ("Pagamentos por conciliar").

The money arrived: it is either matched by hand to open invoices of the account the clerk
found (a payment with its receipt, as any other) or returned to the payer ("Reembolsar",
with a note that says how). Either way the line leaves the queue with its event.
"""

from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.billing.models import Invoice
from balcao.contracts.models import BillingAccount
from balcao.core.transitions import transition
from balcao.payments.models import MultibancoLine, Payment, PaymentMethod
from balcao.payments.services.receipts import (
    ZERO,
    Allocation,
    PaymentError,
    open_amount,
    register_payment,
)


def open_invoices_of(account: BillingAccount) -> QuerySet[Invoice]:
    """The invoices a clerk may match a line to: the account's open ones, oldest first."""
    return Invoice.objects.filter(
        account=account,
        document_type=Invoice.DocumentType.INVOICE,
        status=Invoice.Status.ISSUED,
    ).order_by("issue_date", "pk")


def _queued(line: MultibancoLine) -> MultibancoLine:
    locked = MultibancoLine.objects.select_for_update().get(pk=line.pk)
    if locked.status != MultibancoLine.Status.QUEUED:
        raise PaymentError(_("Esta linha já foi resolvida."))
    return locked


@transaction.atomic
def match_by_hand(
    *, line: MultibancoLine, invoices: Sequence[Invoice], actor: User | None
) -> Payment:
    """Register the line's payment on the invoices chosen (oldest first: each settled in
    full while the money lasts; the last one may be part-paid). Refused when the money is
    more than they owe: the clerk chooses more invoices, or refunds."""
    line = _queued(line)
    if line.amount is None or line.paid_at is None:
        raise PaymentError(
            _("Esta linha não tem montante ou data legíveis: só pode ser reembolsada.")
        )
    if not invoices:
        raise PaymentError(_("Escolha pelo menos uma fatura."))
    accounts = {invoice.account_id for invoice in invoices}
    if len(accounts) != 1:
        raise PaymentError(_("As faturas escolhidas são de contas diferentes."))
    left = line.amount
    allocations = []
    for invoice in sorted(invoices, key=lambda i: (i.issue_date, i.pk)):
        if left <= ZERO:
            break
        share = min(left, open_amount(invoice))
        if share > ZERO:
            allocations.append(Allocation(invoice, share))
            left -= share
    if left > ZERO:
        owed = line.amount - left
        raise PaymentError(
            _(
                "O pagamento (%(amount)s €) é mais do que as faturas escolhidas devem "
                "(%(owed)s €): escolha mais faturas ou reembolse."
            )
            % {"amount": _euros(line.amount), "owed": _euros(owed)}
        )
    account = invoices[0].account
    payment = register_payment(
        account=account,
        method=PaymentMethod.MULTIBANCO,
        paid_at=line.paid_at,
        amount=line.amount,
        allocations=allocations,
        source=(
            _("Multibanco: %(file)s, linha %(line)s (conciliada à mão)")
            % {"file": line.file.name, "line": line.line_number}
        )[:200],
        transaction_id=line.transaction_id,
        actor=actor,
    )
    line.payment, line.account, line.invoice = payment, account, allocations[0].invoice
    transition(
        line,
        MultibancoLine.Status.MATCHED_BY_HAND,
        actor=actor,
        note=payment.receipt.number,
        fields=["payment", "account", "invoice"],
    )
    return payment


@transaction.atomic
def refund_line(*, line: MultibancoLine, note: str, actor: User | None) -> MultibancoLine:
    """The money is returned to the payer: the line leaves the queue with the clerk's note."""
    note = note.strip()
    if not note:
        raise PaymentError(_("Diga como e quando o montante foi devolvido."))
    line = _queued(line)
    transition(line, MultibancoLine.Status.REFUNDED, actor=actor, note=note)
    return line


def _euros(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")
