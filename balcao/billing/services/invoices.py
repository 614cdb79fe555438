"""Issuing invoices and credit notes: gapless numbers, ATCUD, the signature chain.

DOMAIN.md "Invoices". Each document is issued in one transaction that locks its series'
row (SELECT … FOR UPDATE; on SQLite the IMMEDIATE transaction holds the write lock), takes
the next number, signs ``date;entry;number;total;previous hash`` with the producer's key
(Portaria 363/2010) and saves the document, its lines and the new end of the chain. A
failure anywhere rolls all of it back, number included: no gap, no duplicate.

The billing run issues invoices by batches (``issue_invoices_bulk``): the same numbering,
signature and writes (``_write``) for many drafts at once, each hash over the previous one,
the rows of all of them in one statement per table.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation

from balcao.accounts.models import User
from balcao.billing import signature
from balcao.billing.computation import BillComputation, BillLine
from balcao.billing.models import (
    DocumentType,
    Invoice,
    InvoiceEvent,
    InvoiceLine,
    InvoiceSeries,
    Tariff,
)
from balcao.billing.qr_code import FINAL_CONSUMER_NIF
from balcao.billing.services.deliveries import record_deliveries, withdraw_deliveries
from balcao.billing.signals import credit_note_issued
from balcao.contracts.models import Contract
from balcao.core.bulk import insert_rows, insert_values
from balcao.core.transitions import check_transition, transition
from balcao.readings.models import Reading
from balcao.readings.services import mark_used_in_invoices, record_estimates


class IssueError(ValueError):
    """A document that cannot be issued as asked (a date before the series' last one, …)."""


def series_for(document_type: str, code: str | None = None) -> InvoiceSeries:
    """The series of the settings (BILLING_INVOICE_SERIES, _CREDIT_NOTE_SERIES, _RECEIPT_SERIES),
    created on first use with the AT validation code of the settings."""
    if code is None:
        code = {
            DocumentType.INVOICE: settings.BILLING_INVOICE_SERIES,
            DocumentType.CREDIT_NOTE: settings.BILLING_CREDIT_NOTE_SERIES,
            DocumentType.RECEIPT: settings.BILLING_RECEIPT_SERIES,
        }[DocumentType(document_type)]
    series, _created = InvoiceSeries.objects.get_or_create(
        document_type=document_type,
        code=code,
        defaults={"validation_code": settings.BILLING_ATCUD_VALIDATION_CODES[document_type]},
    )
    return series


def _system_entry() -> datetime.datetime:
    # SAF-T's SystemEntryDate has whole seconds; the signed text and the column must agree.
    return timezone.now().replace(microsecond=0)


def _sign_next(
    series: InvoiceSeries, *, issue_date: datetime.date, gross_total: Decimal
) -> tuple[int, str, datetime.datetime, str]:
    """The next number of the locked series, its entry time and its chained hash; the
    series (in memory) ends with it."""
    if series.last_issue_date and issue_date < series.last_issue_date:
        # AT: the documents of a series are in date order.
        raise IssueError(
            f"{series}: {issue_date} is before its last document ({series.last_issue_date})."
        )
    sequence = series.last_number + 1
    number = series.document_number(sequence)
    entry = _system_entry()
    message = signature.signing_message(
        invoice_date=issue_date,
        system_entry=timezone.localtime(entry),
        number=number,
        gross_total=gross_total,
        previous_hash=series.last_hash,
    )
    document_hash = signature.sign(message, signature.private_key())
    # The series' new end, in memory: the next document chains to this one (_advance saves).
    series.last_number, series.last_hash, series.last_issue_date = (
        sequence,
        document_hash,
        issue_date,
    )
    return sequence, number, entry, document_hash


def _advance(series: InvoiceSeries) -> None:
    series.save(update_fields=["last_number", "last_hash", "last_issue_date"])


def _keep_pdf_on_commit(document: Invoice) -> None:
    """The document's PDF is drawn once, in the background, after it commits (never for a
    rollback); BILLING_RENDER_PDF off leaves it to a later ``keep_invoice_pdf``."""
    if not settings.BILLING_RENDER_PDF:
        return
    from balcao.billing.tasks import keep_invoice_pdf_task

    document_id = document.pk
    transaction.on_commit(lambda: keep_invoice_pdf_task.enqueue(invoice_id=document_id))


def _customer_snapshot(contract: Contract) -> dict[str, str]:
    customer = contract.customer
    return {
        "customer_nif": customer.nif or FINAL_CONSUMER_NIF,
        "customer_name": customer.name,
        "customer_address": str(contract.account.billing_address),
    }


# A line's description by (service, kind, band): a few dozen texts, kept once drawn.
_DESCRIPTIONS: dict[tuple[str, str, int | None], str] = {}


def _description(line: BillLine) -> str:
    """The line's description in Portuguese, the language of the legal document."""
    key = (line.service, line.kind, line.band)
    if key not in _DESCRIPTIONS:
        with translation.override("pt-pt"):
            _DESCRIPTIONS[key] = line.description()
    return _DESCRIPTIONS[key]


class LineValues(NamedTuple):
    """An invoice line's columns (InvoiceLine's fields) but its invoice's key, which the
    draft does not have yet: the run writes 10 per invoice, without an instance each."""

    position: int
    service: str
    kind: str
    band: int | None
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    vat_rate: Decimal | None
    exemption_code: str
    exemption_reason: str


def _line_rows(lines: Sequence[BillLine]) -> list[LineValues]:
    return [
        LineValues(
            position=position,
            service=line.service,
            kind=line.kind,
            band=line.band,
            description=_description(line),
            quantity=line.quantity.quantize(Decimal("0.000001")),
            unit_price=line.unit_price,
            amount=line.amount,
            vat_rate=line.vat.rate,
            exemption_code=line.vat.exemption_code,
            exemption_reason=line.vat.exemption_reason,
        )
        for position, line in enumerate(lines, start=1)
    ]


@dataclass
class InvoiceDraft:
    """An invoice computed and not yet issued: no number, no hash, nothing written.

    ``rows`` are other rows that point at the invoice and are written with it (the run's
    EstimateAdjustment); ``estimate`` an estimated reading it used, stored with it."""

    invoice: Invoice
    lines: list[LineValues]
    readings: list[Reading]
    estimate: Reading | None = None
    rows: list[models.Model] = field(default_factory=list)


@dataclass
class IssueBatch:
    """The drafts of a batch of the billing run, one per contract, issued together by
    ``issue_invoices_bulk``; a contract whose computation fails is discarded before."""

    drafts: dict[int, InvoiceDraft] = field(default_factory=dict)

    def add(self, draft: InvoiceDraft) -> None:
        self.drafts[draft.invoice.contract_id] = draft

    def discard(self, contract_pk: int) -> None:
        self.drafts.pop(contract_pk, None)

    def draft_of(self, contract_pk: int) -> InvoiceDraft:
        return self.drafts[contract_pk]


def draft_invoice(
    *,
    contract: Contract,
    period_start: datetime.date,
    period_end: datetime.date,
    tariff: Tariff,
    computation: BillComputation,
    readings: Sequence[Reading] = (),
    estimate: Reading | None = None,
    estimated: bool = False,
    issue_date: datetime.date,
    adjustment_note: str = "",
    prescription_note: str = "",
    actor: User | None = None,
) -> InvoiceDraft:
    """The invoice of ``issue_invoice``'s arguments, with its lines, before its number;
    ``contract`` comes with its customer and billing address."""
    days = (period_end - period_start).days + 1
    if computation.days != days:
        raise IssueError(f"The computation is for {computation.days} days, the period {days}.")
    invoice = Invoice(
        document_type=DocumentType.INVOICE,
        contract=contract,
        account=contract.account,
        **_customer_snapshot(contract),
        period_start=period_start,
        period_end=period_end,
        days=days,
        tariff=tariff,
        tariff_type=computation.tariff_type,
        household_size=computation.household_size,
        water_volume=computation.water_volume.quantize(Decimal("0.001")),
        estimated=estimated,
        issue_date=issue_date,
        due_date=issue_date + datetime.timedelta(days=settings.BILLING_DUE_DAYS),
        net_total=computation.net_total,
        vat_total=computation.vat_total,
        gross_total=computation.gross_total,
        hash_control=settings.BILLING_KEY_VERSION,
        adjustment_note=adjustment_note,
        prescription_note=prescription_note,
        created_by=actor,
    )
    lines = _line_rows(computation.lines)
    unique = list({reading.pk: reading for reading in readings}.values())
    return InvoiceDraft(invoice, lines, unique, estimate)


def _write(series: InvoiceSeries, drafts: Sequence[InvoiceDraft]) -> list[Invoice]:
    """Number and sign the drafts in order (each hash over the previous one), then write
    them, their lines, readings, estimates, events and rows in a constant number of
    queries, and the series' new end. The caller holds the series' row and a transaction."""
    invoices = [draft.invoice for draft in drafts]
    for invoice in invoices:
        sequence, number, entry, document_hash = _sign_next(
            series, issue_date=invoice.issue_date, gross_total=invoice.gross_total
        )
        invoice.series = series
        invoice.sequence = sequence
        invoice.number = number
        invoice.atcud = series.atcud(sequence)
        invoice.system_entry_at = entry
        invoice.hash = document_hash
        invoice.hash_characters = signature.printed_characters(document_hash)
    for actor, estimates in _by_actor(
        (draft.invoice.created_by, draft.estimate) for draft in drafts if draft.estimate
    ):
        record_estimates(estimates, actor=actor)
    insert_rows(invoices, returning_pks=True)
    insert_values(
        InvoiceLine,
        ("invoice", *LineValues._fields),
        [(draft.invoice.pk, *line) for draft in drafts for line in draft.lines],
    )
    now = timezone.now()
    insert_values(
        InvoiceEvent,
        ("invoice", "kind", "actor", "at", "note"),
        [(i.pk, InvoiceEvent.Kind.ISSUED, i.created_by_id, now, "") for i in invoices],
    )
    used: list[tuple[User | None, tuple[Reading, str]]] = []
    marked: set[int] = set()
    links = []
    for draft in drafts:
        invoice = draft.invoice
        readings = draft.readings + ([draft.estimate] if draft.estimate is not None else [])
        for reading in readings:
            links.append((invoice.pk, reading.pk))
            # A reading two invoices use (two contracts of one installation in a month)
            # is marked used by the first.
            if reading.status == Reading.Status.BILLABLE and reading.pk not in marked:
                marked.add(reading.pk)
                used.append((invoice.created_by, (reading, invoice.number)))
    insert_values(Invoice.readings.through, ("invoice", "reading"), links)
    for actor, pairs in _by_actor(used):
        mark_used_in_invoices(pairs, actor=actor)
    rows: dict[type[models.Model], list[models.Model]] = {}
    for draft in drafts:
        for row in draft.rows:
            rows.setdefault(type(row), []).append(row)
    for kept in rows.values():
        insert_rows(kept)
    _advance(series)
    for invoice in invoices:
        _keep_pdf_on_commit(invoice)
    # After the PDFs' tasks, so that on commit each e-mail finds its PDF drawn.
    record_deliveries(invoices)
    return invoices


T = TypeVar("T")


def _by_actor(items: Iterable[tuple[User | None, T]]) -> list[tuple[User | None, list[T]]]:
    """Items grouped by who issues them (one group in a run), in their order."""
    groups: dict[int | None, tuple[User | None, list[T]]] = {}
    for actor, item in items:
        groups.setdefault(actor.pk if actor else None, (actor, []))[1].append(item)
    return list(groups.values())


def issue_invoices_bulk(
    batch: IssueBatch, *, series_code: str | None = None
) -> tuple[list[Invoice], list[tuple[Invoice, Exception]]]:
    """Issue a batch's drafts in order, together: (issued, failed with their error).

    Inside a transaction (the run's batch). The series' row is locked; if writing the
    batch at once fails, it is written again invoice by invoice, each in its own
    savepoint, so that one that cannot be written takes back only itself (the numbers
    stay gapless: a failed invoice's number goes to the next)."""
    drafts = list(batch.drafts.values())
    if not drafts:
        return [], []
    series_pk = series_for(DocumentType.INVOICE, series_code).pk
    series = InvoiceSeries.objects.select_for_update().get(pk=series_pk)
    kept = _state_of(drafts)
    try:
        with transaction.atomic():
            return _write(series, drafts), []
    except Exception:  # noqa: BLE001 - each invoice is tried alone below
        _restore(kept)
        series.refresh_from_db()
    issued: list[Invoice] = []
    failed: list[tuple[Invoice, Exception]] = []
    for draft in drafts:
        try:
            with transaction.atomic():
                issued += _write(series, [draft])
        except Exception as error:  # noqa: BLE001 - reported by the caller
            _restore(_state_of([draft]))
            series.refresh_from_db()
            failed.append((draft.invoice, error))
    return issued, failed


_Kept = list[tuple[models.Model, dict[str, Any], bool, dict[str, Any]]]


def _state_of(drafts: Sequence[InvoiceDraft]) -> _Kept:
    """The drafts' objects as they are before ``_write`` (pks, numbers, foreign keys,
    readings' statuses), to put back when its transaction is rolled back."""
    kept: _Kept = []
    for draft in drafts:
        objects: list[models.Model] = [draft.invoice, *draft.readings, *draft.rows]
        if draft.estimate is not None:
            objects.append(draft.estimate)
        kept += [
            (obj, dict(obj.__dict__), obj._state.adding, dict(obj._state.fields_cache))
            for obj in objects
        ]
    return kept


def _restore(kept: _Kept) -> None:
    for obj, values, adding, cached in kept:
        obj.__dict__.clear()
        obj.__dict__.update(values)
        obj._state.adding = adding
        obj._state.fields_cache = cached


def issue_invoice(
    *,
    contract: Contract,
    period_start: datetime.date,
    period_end: datetime.date,
    tariff: Tariff,
    computation: BillComputation,
    readings: Sequence[Reading] = (),
    estimated: bool = False,
    issue_date: datetime.date | None = None,
    adjustment_note: str = "",
    prescription_note: str = "",
    actor: User | None = None,
    series_code: str | None = None,
    estimate: Reading | None = None,
    into: IssueBatch | None = None,
) -> Invoice:
    """Issue the invoice of one contract and period (DOMAIN.md "Invoices").

    ``computation`` is ``computation.compute_bill``'s result for the period (its days must
    be the period's); ``readings`` are the readings it used: they are linked to the invoice
    and those validated for billing move to "Usada na fatura FT …" (readings'
    ``mark_used_in_invoices``); ``estimate``, an estimated reading not saved yet
    (``estimate_for``), is stored with it and used. Due date: BILLING_DUE_DAYS (≥ 20) after
    issue. Raises IntegrityError when the contract already has an invoice in force for this
    period.

    ``into``: the billing run's batch; the invoice is only drafted into it (not saved, no
    number yet) and ``issue_invoices_bulk`` issues the batch, with the same numbering,
    signature and writes.
    """
    issue_date = issue_date or timezone.localdate()

    def draft(contract: Contract) -> InvoiceDraft:
        return draft_invoice(
            contract=contract,
            period_start=period_start,
            period_end=period_end,
            tariff=tariff,
            computation=computation,
            readings=readings,
            estimate=estimate,
            estimated=estimated,
            issue_date=issue_date,
            adjustment_note=adjustment_note,
            prescription_note=prescription_note,
            actor=actor,
        )

    if into is not None:  # the run loaded the contract with its customer and address
        drafted = draft(contract)
        into.add(drafted)
        return drafted.invoice
    with transaction.atomic():
        contract = Contract.objects.select_related("customer", "account__billing_address").get(
            pk=contract.pk
        )
        drafted = draft(contract)
        series_pk = series_for(DocumentType.INVOICE, series_code).pk
        series = InvoiceSeries.objects.select_for_update().get(pk=series_pk)
        return _write(series, [drafted])[0]


@transaction.atomic
def issue_credit_note(
    *,
    invoice: Invoice,
    reason: str,
    actor: User | None = None,
    issue_date: datetime.date | None = None,
    series_code: str | None = None,
) -> Invoice:
    """Cancel an invoice with a credit note (series NC) for its whole amount.

    The credit note repeats the invoice's lines and totals, references it (``corrects``)
    and says why; the invoice moves to "Anulada por nota de crédito". A new invoice for
    the same period may then be issued. Amounts are positive: the document type says
    they are credited (SAF-T puts them in DebitAmount).
    """
    if not reason.strip():
        raise IssueError("A credit note says why.")
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.document_type != DocumentType.INVOICE:
        raise IssueError(f"{invoice.number} is not an invoice.")
    check_transition(invoice, Invoice.Status.CANCELLED)  # before a number is taken
    issue_date = issue_date or timezone.localdate()
    series_pk = series_for(DocumentType.CREDIT_NOTE, series_code).pk
    series = InvoiceSeries.objects.select_for_update().get(pk=series_pk)
    sequence, number, entry, document_hash = _sign_next(
        series, issue_date=issue_date, gross_total=invoice.gross_total
    )
    copied = {
        name: getattr(invoice, name)
        for name in (
            "contract_id",
            "account_id",
            "customer_nif",
            "customer_name",
            "customer_address",
            "period_start",
            "period_end",
            "days",
            "tariff_id",
            "tariff_type",
            "household_size",
            "water_volume",
            "estimated",
            "net_total",
            "vat_total",
            "gross_total",
        )
    }
    note = Invoice(
        series=series,
        document_type=DocumentType.CREDIT_NOTE,
        sequence=sequence,
        number=number,
        atcud=series.atcud(sequence),
        issue_date=issue_date,
        system_entry_at=entry,
        due_date=None,
        hash=document_hash,
        hash_control=settings.BILLING_KEY_VERSION,
        hash_characters=signature.printed_characters(document_hash),
        corrects=invoice,
        credit_reason=reason.strip(),
        created_by=actor,
        **copied,
    )
    note.save()
    lines = [
        InvoiceLine(
            invoice=note,
            position=line.position,
            service=line.service,
            kind=line.kind,
            band=line.band,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
            vat_rate=line.vat_rate,
            exemption_code=line.exemption_code,
            exemption_reason=line.exemption_reason,
        )
        for line in invoice.lines.all()
    ]
    InvoiceLine.objects.bulk_create(lines)
    _advance(series)
    InvoiceEvent.objects.create(
        invoice=note, kind=InvoiceEvent.Kind.ISSUED, actor=actor, note=invoice.number
    )
    transition(
        invoice,
        Invoice.Status.CANCELLED,
        actor=actor,
        note=f"{number}: {reason.strip()}",
    )
    # Payments records the refund of what was paid of the invoice, in this transaction.
    credit_note_issued.send(sender=Invoice, invoice=invoice, credit_note=note, actor=actor)
    # The invoice, if it has not gone out yet, never will; the credit note goes instead,
    # as an invoice does (its PDF's task first, so that its e-mail finds the PDF drawn).
    withdraw_deliveries(invoice=invoice, credit_note=note)
    _keep_pdf_on_commit(note)
    record_deliveries([note])
    return note
