"""Importing a Multibanco notification file (issue 13; docs/payments.md "Multibanco").

Matching is by entity + reference + exact amount against the open payables
(``balcao.payments.payables``; a plan's equal instalments share a reference and are
offered one after the other, so two lines of it in one file pay instalments 1 and 2): one
payable → a payment (method Multibanco, the file's transaction id) with its receipt,
registered with ``register_payment``'s rules by ``register_payments_in_bulk``. Every other
line is kept in the queue "Pagamentos por conciliar" with its reason, in this order:

1. ``invalid``: the line does not read, the entity is not ours, the reference is not 9
   digits of our sub-entity;
2. ``ambiguous``: more than one open payable has this reference and amount;
3. ``other_amount``: the reference is an open payable's, for another amount (or the invoice
   was part-paid since, and the amount is more than what is still open);
4. ``paid``: the reference and amount are an invoice already paid (before, or by an
   earlier line of this file), or a plan's instalments of that amount are all paid;
5. ``no_match``: a well-formed reference nobody owes; ``invalid`` when its check digits
   are not right for the amount (a reference made up or mistyped).

A transaction id already imported (by another file, or earlier in this file) is counted
"already imported" and not stored again. The whole file is one transaction: lines,
payments, receipts and the file's counters commit together or not at all; the same file
(its SHA-256) is imported once.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.billing.models import DocumentType, Invoice
from balcao.billing.multibanco import check_digits
from balcao.core.bulk import insert_values
from balcao.core.money import CENT, format_euros
from balcao.payments.models import (
    Instalment,
    MultibancoFile,
    MultibancoLine,
    PaymentMethod,
    QueueReason,
)
from balcao.payments.multibanco_file import FileLine, read_lines
from balcao.payments.payables import Payable, PayableIndex
from balcao.payments.services import received_files
from balcao.payments.services.bulk_payments import BulkPayments, PaymentDraft

BATCH = 5000
ID_CHUNK = 5000
LINE_COLUMNS = (
    "file",
    "line_number",
    "raw",
    "entity",
    "reference",
    "amount",
    "paid_at",
    "terminal",
    "transaction_id",
    "status",
    "reason",
    "detail",
    "account",
    "invoice",
    "payment",
)
PROGRESS_KEY = "payments:multibanco-file:{pk}:progress"
Progress = Callable[["ImportCounts"], None]


@dataclass
class ImportCounts:
    total: int = 0  # lines in the file
    seen: int = 0
    lines_read: int = 0
    matched: int = 0
    queued: int = 0
    already_imported: int = 0


@dataclass
class Outcome:
    """What the import makes of one line before it is written."""

    line: FileLine
    payable: Payable | None = None
    reason: str = ""
    detail: str = ""
    invoice_id: int | None = None
    account_id: int | None = None

    def queue(self, reason: str, detail: str, payable: Payable | None = None) -> "Outcome":
        self.payable, self.reason, self.detail = None, reason, detail[:300]
        if payable is not None:
            self.invoice_id, self.account_id = payable.invoice_id, payable.account_id
        return self


def receive_file(*, name: str, data: bytes, actor: User | None = None) -> MultibancoFile:
    """Record a received file (queued), kept as it came. Raises AlreadyImported for a file
    imported before and NotANotificationFile for one that is not of the documented kind."""
    next(iter(read_lines(data)), None)  # the header, or NotANotificationFile
    return received_files.receive_file(MultibancoFile, name=name, data=data, actor=actor)


def start_import(*, name: str, data: bytes, actor: User | None = None) -> MultibancoFile:
    """The admin's upload: record the file and hand its import to the background worker."""
    from balcao.payments.tasks import import_multibanco_file_task

    mb_file = receive_file(name=name, data=data, actor=actor)
    transaction.on_commit(lambda: import_multibanco_file_task.enqueue(file_id=mb_file.pk))
    return mb_file


def perform_import(mb_file: MultibancoFile, *, progress: Progress | None = None) -> ImportCounts:
    """Import a received file: running, then its lines in one transaction, then done (or
    failed with the error: nothing of the file is written then)."""

    def work(locked: MultibancoFile, data: bytes) -> ImportCounts:
        counts = import_lines(locked, list(read_lines(data)), progress=progress)
        locked.lines_read, locked.matched = counts.lines_read, counts.matched
        locked.queued, locked.already_imported = counts.queued, counts.already_imported
        return counts

    try:
        return received_files.run_import(
            mb_file, work=work, fields=["lines_read", "matched", "queued", "already_imported"]
        )
    finally:
        cache.delete(PROGRESS_KEY.format(pk=mb_file.pk))


def import_payments(
    *, name: str, data: bytes, actor: User | None = None, progress: Progress | None = None
) -> tuple[MultibancoFile, ImportCounts]:
    """``manage.py import_payments``: receive and import at once."""
    mb_file = receive_file(name=name, data=data, actor=actor)
    return mb_file, perform_import(mb_file, progress=progress)


def progress_of(mb_file: MultibancoFile) -> tuple[int, int] | None:
    """(lines seen, lines in the file) of a running import, for the admin's page."""
    return cache.get(PROGRESS_KEY.format(pk=mb_file.pk))


# --- Matching --------------------------------------------------------------------------


def _known_transactions(ids: Sequence[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(ids), ID_CHUNK):
        known.update(
            MultibancoLine.objects.filter(
                transaction_id__in=ids[start : start + ID_CHUNK]
            ).values_list("transaction_id", flat=True)
        )
    return known


def _reference_problem(line: FileLine) -> str:
    if line.problem:
        return line.problem
    if line.entity != settings.MULTIBANCO_ENTITY:
        return _("Entidade %(entity)s: a nossa é %(ours)s.") % {
            "entity": line.entity or "—",
            "ours": settings.MULTIBANCO_ENTITY,
        }
    if not (line.reference.isdigit() and len(line.reference) == 9):
        return _("Referência «%(reference)s»: não tem 9 algarismos.") % {
            "reference": line.reference
        }
    if not line.reference.startswith(settings.MULTIBANCO_SUB_ENTITY):
        return _("Referência %(reference)s: não é da nossa subentidade.") % {
            "reference": line.reference
        }
    assert line.amount is not None  # a line without problem has its amount
    if not (Decimal("0.01") <= line.amount <= Decimal("999999.99")):
        return _("Montante fora do que o Multibanco aceita.")
    return ""


def classify(line: FileLine, index: PayableIndex) -> Outcome:
    """The outcome of one line against the open payables (no query)."""
    outcome = Outcome(line)
    problem = _reference_problem(line)
    if problem:
        return outcome.queue(QueueReason.INVALID, problem)
    assert line.amount is not None
    amount = line.amount.quantize(CENT)
    found = index.candidates(line.reference, amount)
    if len(found) == 1:
        outcome.payable = found[0]
        outcome.invoice_id, outcome.account_id = found[0].invoice_id, found[0].account_id
        if found[0].allocation != amount:
            return outcome.queue(
                QueueReason.OTHER_AMOUNT,
                _("A fatura já tem um pagamento parcial: falta pagar %(open)s.")
                % {"open": format_euros(found[0].allocation)},
                found[0],
            )
        index.take(found[0])
        return outcome
    if len(found) > 1:
        return outcome.queue(
            QueueReason.AMBIGUOUS,
            _("%(count)s faturas em aberto têm esta referência e este montante.")
            % {"count": len(found)},
        )
    others = index.other_amounts(line.reference)
    if others:
        return outcome.queue(
            QueueReason.OTHER_AMOUNT,
            _("A referência é de %(amount)s; foram pagos %(paid)s.")
            % {"amount": format_euros(others[0].amount), "paid": format_euros(amount)},
            others[0],
        )
    paid = index.paid_now.get(line.reference)
    if paid is not None:
        if paid.instalment_id is not None:
            detail = _(
                "A última prestação deste montante por pagar foi paga por uma linha anterior "
                "deste ficheiro."
            )
        else:
            detail = _("A fatura foi paga por uma linha anterior deste ficheiro.")
        return outcome.queue(QueueReason.PAID, detail, paid)
    body = line.reference[:7]
    if check_digits(settings.MULTIBANCO_ENTITY, body, amount) != line.reference[7:]:
        return outcome.queue(
            QueueReason.INVALID,
            _("Os algarismos de controlo da referência não correspondem ao montante."),
        )
    return outcome.queue(QueueReason.NO_MATCH, _("Nenhuma fatura em aberto tem esta referência."))


def _find_paid_invoices(outcomes: list[Outcome]) -> None:
    """Lines that pay no open invoice but a paid one, or a plan's instalments all paid of
    that amount: queued as "paid", with that invoice. The paid invoices and instalments
    with those amounts, read in a few queries (by amount)."""
    from balcao.payments.payables import invoice_body, reference_for

    waiting = [o for o in outcomes if o.reason == QueueReason.NO_MATCH]
    amounts = sorted({o.line.amount for o in waiting if o.line.amount is not None})
    by_key: dict[tuple[str, Decimal], tuple[int, int]] = {}
    for start in range(0, len(amounts), 500):
        rows = Invoice.objects.filter(
            document_type=DocumentType.INVOICE,
            status=Invoice.Status.PAID,
            gross_total__in=amounts[start : start + 500],
        ).values_list("pk", "sequence", "gross_total", "account_id")
        for pk, sequence, total, account_id in rows:
            key = (reference_for(invoice_body(sequence), total), total)
            by_key.setdefault(key, (pk, account_id))
    instalments: dict[tuple[str, Decimal], tuple[int, int]] = {}
    for start in range(0, len(amounts), 500):
        paid_instalments = Instalment.objects.filter(
            receipt_line__isnull=False, amount__in=amounts[start : start + 500]
        ).values_list(
            "plan__invoice_id", "plan__invoice__sequence", "amount", "plan__invoice__account_id"
        )
        for pk, sequence, amount, account_id in paid_instalments:
            key = (reference_for(invoice_body(sequence), amount), amount)
            instalments.setdefault(key, (pk, account_id))
    for outcome in waiting:
        assert outcome.line.amount is not None
        key = (outcome.line.reference, outcome.line.amount.quantize(CENT))
        if key in by_key:
            outcome.reason, outcome.detail = QueueReason.PAID, _("A fatura já estava paga.")
            outcome.invoice_id, outcome.account_id = by_key[key]
        elif key in instalments:
            outcome.reason = QueueReason.PAID
            outcome.detail = _("As prestações deste montante já estavam pagas.")
            outcome.invoice_id, outcome.account_id = instalments[key]


def _source(mb_file: MultibancoFile, number: int) -> str:
    return (_("Multibanco: %(file)s, linha %(line)s") % {"file": mb_file.name, "line": number})[
        :200
    ]


def import_lines(
    mb_file: MultibancoFile,
    lines: list[FileLine],
    *,
    progress: Progress | None = None,
) -> ImportCounts:
    """Match and write every line of a file (inside the caller's transaction)."""
    counts = ImportCounts(total=len(lines))
    known = _known_transactions([line.transaction_id for line in lines if line.transaction_id])
    index = PayableIndex.build()
    outcomes: list[Outcome] = []
    for line in lines:
        if line.transaction_id and line.transaction_id in known:
            counts.already_imported += 1
            continue
        if line.transaction_id:
            known.add(line.transaction_id)
        outcomes.append(classify(line, index))
    _find_paid_invoices(outcomes)
    drafts = {
        id(outcome): PaymentDraft(
            account_id=outcome.payable.account_id,
            method=PaymentMethod.MULTIBANCO,
            paid_at=outcome.line.paid_at,  # type: ignore[arg-type]  # read lines have it
            amount=outcome.line.amount,  # type: ignore[arg-type]
            allocations=[(outcome.payable.invoice_id, outcome.payable.allocation)],
            source=_source(mb_file, outcome.line.number),
            transaction_id=outcome.line.transaction_id,
            instalment=outcome.payable.instalment_id is not None,
        )
        for outcome in outcomes
        if outcome.payable is not None
    }
    bulk = BulkPayments(list(drafts.values()), actor=mb_file.imported_by)
    for start in range(0, len(outcomes), BATCH):
        batch = outcomes[start : start + BATCH]
        bulk.register([drafts[id(o)] for o in batch if id(o) in drafts])
        rows: list[tuple[object, ...]] = []
        for outcome in batch:
            draft = drafts.get(id(outcome))
            payment_id = draft.payment_id if draft is not None else None
            if draft is not None and payment_id is None:
                # The invoice changed between the index and its lock (a counter payment).
                outcome.queue(
                    QueueReason.PAID if draft.invoice_closed else QueueReason.OTHER_AMOUNT,
                    _("A fatura mudou durante a importação: %(why)s") % {"why": draft.refused},
                    outcome.payable,
                )
            line = outcome.line
            matched = payment_id is not None
            rows.append(
                (
                    mb_file.pk,
                    line.number,
                    line.raw,
                    line.entity,
                    line.reference,
                    line.amount,
                    line.paid_at,
                    line.terminal,
                    line.transaction_id,
                    MultibancoLine.Status.MATCHED if matched else MultibancoLine.Status.QUEUED,
                    "" if matched else outcome.reason,
                    "" if matched else outcome.detail,
                    outcome.account_id,
                    outcome.invoice_id,
                    payment_id,
                )
            )
            if matched:
                counts.matched += 1
            else:
                counts.queued += 1
        insert_values(MultibancoLine, LINE_COLUMNS, rows)
        counts.seen = min(counts.total, start + len(batch) + counts.already_imported)
        _report(mb_file, counts, progress)
    counts.lines_read = counts.total
    if counts.seen != counts.total or not outcomes:  # the bar ends full, once
        counts.seen = counts.total
        _report(mb_file, counts, progress)
    return counts


def _report(mb_file: MultibancoFile, counts: ImportCounts, progress: Progress | None) -> None:
    # The file's transaction is still open: its counters are not visible elsewhere, the
    # cache is (the admin's page reads it).
    cache.set(PROGRESS_KEY.format(pk=mb_file.pk), (counts.seen, counts.total), 3600)
    if progress is not None:
        progress(counts)
