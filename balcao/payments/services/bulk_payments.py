"""Many payments at once (a Multibanco file of 10⁵ lines), with ``register_payment``'s rules.

The same rules as ``receipts.register_payment``, checked for every payment: the allocations
add up to the amount, each invoice is the account's, open, and not paid beyond its total;
one receipt per payment, numbered without gaps in the receipt series, with its ATCUD and
the customer as the receipt names them; an invoice settled in full moves to "Paga" with
its event. The same locks in the same order, so that counter payments and imports
neither deadlock nor pay one invoice twice: the invoices first (SELECT … FOR UPDATE, by
key), then the receipt series. What differs is the cost: the invoices, accounts and what
is already settled are read in a few queries for all the payments, and the payments,
receipts, receipt lines, invoice statuses and events are written in a few statements per
table (``balcao.core.bulk``) instead of a dozen queries per payment.

A draft that pays a payment plan's instalment follows ``plans.pay_instalment``'s rule: it
settles the earliest instalment of its amount still open, chosen under the invoice's lock
(the open instalments are read, and locked, after their invoices), so that two payments of
one reference in a file pay instalments 1 and 2, and one paid at the counter meanwhile is
not paid again; when none of that amount is left open, the draft is refused.

Must run inside the caller's transaction (the import's one per file).
"""

import datetime
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.billing.models import DocumentType, Invoice, InvoiceEvent, InvoiceSeries
from balcao.billing.services.invoices import series_for
from balcao.contracts.models import BillingAccount
from balcao.core.bulk import insert_values
from balcao.core.money import round_money
from balcao.core.transitions import check_transition
from balcao.payments.models import Instalment, Payment, PaymentMethod, Receipt
from balcao.payments.models import ReceiptLine as ReceiptLineModel
from balcao.payments.payables import settled_of_open_invoices
from balcao.payments.services.receipts import (
    ZERO,
    PaymentError,
    _customer_snapshot,
)

LOCK_CHUNK = 5000
PAYMENT_COLUMNS = (
    "account",
    "method",
    "paid_at",
    "amount",
    "source",
    "transaction_id",
    "reason",
    "created_by",
    "created_at",
)
RECEIPT_COLUMNS = (
    "series",
    "sequence",
    "number",
    "atcud",
    "payment",
    "account",
    "customer_nif",
    "customer_name",
    "customer_address",
    "issue_date",
    "system_entry_at",
    "gross_total",
    "status",
    "pdf",
)


@dataclass
class PaymentDraft:
    """A payment to register: ``allocations`` are (invoice pk, amount settled)."""

    account_id: int
    method: str
    paid_at: datetime.datetime
    amount: Decimal
    allocations: list[tuple[int, Decimal]]
    source: str
    transaction_id: str = ""
    # Pays the earliest open instalment of its amount of its one invoice (a plan's).
    instalment: bool = False
    payment_id: int | None = None  # set once registered
    instalment_id: int | None = None  # the instalment it paid, once registered
    receipt_number: str = ""
    refused: str = ""  # why not, when it was not
    invoice_closed: bool = False  # refused because an invoice is no longer open


def _lock_invoices(pks: list[int]) -> dict[int, tuple[int, str, str, Decimal]]:
    """Lock the invoices in key order (as register_payment does) and read what is checked."""
    found: dict[int, tuple[int, str, str, Decimal]] = {}
    for start in range(0, len(pks), LOCK_CHUNK):
        rows = (
            Invoice.objects.select_for_update()
            .filter(pk__in=pks[start : start + LOCK_CHUNK])
            .order_by("pk")
            .values_list("pk", "account_id", "document_type", "status", "gross_total")
        )
        for pk, account_id, document_type, status, total in rows:
            found[pk] = (account_id, document_type, status, total)
    return found


def _lock_open_instalments(pks: list[int]) -> dict[tuple[int, Decimal], deque[int]]:
    """The open instalments of these (locked) invoices by invoice and amount, in the order
    they are paid (their number), locked after the invoices as pay_instalment does."""
    found: dict[tuple[int, Decimal], deque[int]] = {}
    for start in range(0, len(pks), LOCK_CHUNK):
        rows = (
            Instalment.objects.select_for_update(of=("self",))
            .filter(plan__invoice_id__in=pks[start : start + LOCK_CHUNK], receipt_line__isnull=True)
            .order_by("plan__invoice_id", "number")
            .values_list("pk", "plan__invoice_id", "amount")
        )
        for pk, invoice_id, amount in rows:
            found.setdefault((invoice_id, amount), deque()).append(pk)
    return found


def _refuse(draft: PaymentDraft, reason: str, *, closed: bool = False) -> None:
    draft.refused, draft.invoice_closed = reason, closed


class BulkPayments:
    """Payments registered by batches inside one transaction: every invoice that any of
    them pays is locked (by key) and read once, when it is made, before the receipt
    series is locked by the first batch; then ``register`` takes batch after batch."""

    def __init__(
        self,
        drafts: Sequence[PaymentDraft],
        *,
        actor: User | None = None,
        issue_date: datetime.date | None = None,
    ) -> None:
        if not transaction.get_connection().in_atomic_block:
            raise PaymentError("Bulk payments are registered inside the caller's transaction.")
        pks = sorted({pk for draft in drafts for pk, _amount in draft.allocations})
        self.invoices = _lock_invoices(pks)
        self.settled = settled_of_open_invoices(pks) if pks else {}
        self.instalments = _lock_open_instalments(
            sorted({draft.allocations[0][0] for draft in drafts if draft.instalment})
        )
        self.actor = actor
        self.issue_date = issue_date or timezone.localdate()

    def register(self, drafts: Sequence[PaymentDraft]) -> list[PaymentDraft]:
        """Register every draft that passes register_payment's checks (in order: an invoice
        two drafts pay is paid by the first); the others get ``refused``."""
        invoices, settled = self.invoices, self.settled
        accepted: list[PaymentDraft] = []
        for draft in drafts:
            draft.amount = round_money(draft.amount)
            PaymentMethod(draft.method)
            if draft.amount <= ZERO or not draft.allocations:
                _refuse(draft, _("O pagamento não tem montante ou fatura a liquidar."))
                continue
            if sum((round_money(a) for _pk, a in draft.allocations), ZERO) != draft.amount:
                _refuse(draft, _("O montante pago não é a soma do que liquida."))
                continue
            problem, closed = "", False
            for pk, amount in draft.allocations:
                account_id, document_type, status, total = invoices[pk]
                if account_id != draft.account_id:
                    problem = _("a fatura é de outra conta")
                elif document_type != DocumentType.INVOICE or status != Invoice.Status.ISSUED:
                    problem, closed = _("a fatura já não está por pagar"), True
                elif round_money(amount) <= ZERO:
                    problem = _("o valor a liquidar da fatura não é superior a 0,00 €")
                elif round_money(amount) > total - settled.get(pk, ZERO):
                    problem = _("o montante excede o que falta pagar da fatura")
                if problem:
                    break
            if not problem and draft.instalment:
                if len(draft.allocations) != 1:
                    raise PaymentError("An instalment's payment settles one invoice.")
                pk, amount = draft.allocations[0]
                if not self.instalments.get((pk, round_money(amount))):
                    problem = _("a prestação deste montante já está paga")
                    closed = True
            if problem:
                _refuse(draft, problem, closed=closed)
                continue
            if draft.instalment:
                pk, amount = draft.allocations[0]
                draft.instalment_id = self.instalments[(pk, round_money(amount))].popleft()
            for pk, amount in draft.allocations:
                settled[pk] = settled.get(pk, ZERO) + round_money(amount)
                account_id, document_type, status, total = invoices[pk]
                if settled[pk] == total:
                    invoices[pk] = (account_id, document_type, Invoice.Status.PAID, total)
            accepted.append(draft)
        if accepted:
            _write(accepted, invoices, actor=self.actor, issue_date=self.issue_date)
        return accepted


def register_payments_in_bulk(
    drafts: Sequence[PaymentDraft],
    *,
    actor: User | None = None,
    issue_date: datetime.date | None = None,
) -> list[PaymentDraft]:
    """Register the drafts that pass register_payment's checks at once; returns those."""
    return BulkPayments(drafts, actor=actor, issue_date=issue_date).register(drafts)


def _write(
    drafts: list[PaymentDraft],
    invoices: dict[int, tuple[int, str, str, Decimal]],
    *,
    actor: User | None,
    issue_date: datetime.date,
) -> None:
    """The payments, receipts and receipt lines as values (no instance per row: 10⁵ of
    each would cost more than the rest of the import), numbered in the locked series."""
    now = timezone.now()
    actor_id = actor.pk if actor is not None else None
    payment_ids = insert_values(
        Payment,
        PAYMENT_COLUMNS,
        [
            (
                draft.account_id,
                draft.method,
                draft.paid_at,
                draft.amount,
                draft.source,
                draft.transaction_id,
                "",
                actor_id,
                now,
            )
            for draft in drafts
        ],
        returning_pks=True,
    )
    accounts = {
        account.pk: _customer_snapshot(account)
        for account in BillingAccount.objects.filter(
            pk__in={draft.account_id for draft in drafts}
        ).select_related("customer", "billing_address")
    }
    series = InvoiceSeries.objects.select_for_update().get(pk=series_for(DocumentType.RECEIPT).pk)
    if series.last_issue_date and issue_date < series.last_issue_date:
        raise PaymentError(
            f"{series}: {issue_date} is before its last receipt ({series.last_issue_date})."
        )
    entry = now.replace(microsecond=0)
    rows = []
    for draft, payment_id in zip(drafts, payment_ids, strict=True):
        series.last_number += 1
        customer = accounts[draft.account_id]
        draft.payment_id = payment_id
        draft.receipt_number = series.document_number(series.last_number)
        rows.append(
            (
                series.pk,
                series.last_number,
                draft.receipt_number,
                series.atcud(series.last_number),
                payment_id,
                draft.account_id,
                customer["customer_nif"],
                customer["customer_name"],
                customer["customer_address"],
                issue_date,
                entry,
                draft.amount,
                Receipt.Status.ISSUED,
                "",
            )
        )
    series.last_issue_date = issue_date
    receipt_ids = insert_values(Receipt, RECEIPT_COLUMNS, rows, returning_pks=True)
    series.save(update_fields=["last_number", "last_issue_date"])
    line_ids = insert_values(
        ReceiptLineModel,
        ("receipt", "position", "invoice", "amount"),
        [
            (receipt_id, position, pk, round_money(amount))
            for draft, receipt_id in zip(drafts, receipt_ids, strict=True)
            for position, (pk, amount) in enumerate(draft.allocations, start=1)
        ],
        returning_pks=True,
    )
    _settle_instalments(drafts, line_ids)
    _mark_paid(drafts, invoices, actor_id=actor_id, now=now)
    _keep_receipt_pdfs_on_commit(receipt_ids)


def _settle_instalments(drafts: list[PaymentDraft], line_ids: list[int]) -> None:
    """The instalments paid point at their receipt lines (one UPDATE per 5 000), as
    pay_instalment does one by one."""
    settled: list[Instalment] = []
    position = 0
    for draft in drafts:
        if draft.instalment_id is not None:
            settled.append(Instalment(pk=draft.instalment_id, receipt_line_id=line_ids[position]))
        position += len(draft.allocations)
    Instalment.objects.bulk_update(settled, ["receipt_line"], batch_size=LOCK_CHUNK)


def _keep_receipt_pdfs_on_commit(receipt_ids: list[int]) -> None:
    """The receipts' PDFs, as ``receipts._keep_receipt_pdf_on_commit`` for one: for a file,
    one background task for a batch of receipts, not one per receipt."""
    if not settings.BILLING_RENDER_PDF or not receipt_ids:
        return
    from balcao.payments.tasks import keep_receipt_pdfs_task

    ids = list(receipt_ids)
    transaction.on_commit(lambda: keep_receipt_pdfs_task.enqueue(receipt_ids=ids))


def _mark_paid(
    drafts: list[PaymentDraft],
    invoices: dict[int, tuple[int, str, str, Decimal]],
    *,
    actor_id: int | None,
    now: datetime.datetime,
) -> None:
    """Invoices now settled in full → "Paga", each with its event naming the receipt, as
    ``transition`` does one by one (the move checked against Invoice.TRANSITIONS)."""
    paid: dict[int, str] = {}
    for draft in drafts:
        for pk, _amount in draft.allocations:
            if invoices[pk][2] == Invoice.Status.PAID:
                paid[pk] = draft.receipt_number  # the last receipt completes it
    if not paid:
        return
    check_transition(Invoice(status=Invoice.Status.ISSUED), Invoice.Status.PAID)
    pks = sorted(paid)
    for start in range(0, len(pks), LOCK_CHUNK):
        Invoice.objects.filter(pk__in=pks[start : start + LOCK_CHUNK]).update(
            status=Invoice.Status.PAID
        )
    insert_values(
        InvoiceEvent,
        ("invoice", "kind", "actor", "at", "note"),
        [(pk, InvoiceEvent.Kind.PAID, actor_id, now, paid[pk]) for pk in pks],
    )
