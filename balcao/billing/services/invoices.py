"""Issuing invoices and credit notes: gapless numbers, ATCUD, the signature chain.

DOMAIN.md "Invoices". Each document is issued in one transaction that locks its series'
row (SELECT … FOR UPDATE; on SQLite the IMMEDIATE transaction holds the write lock), takes
the next number, signs ``date;entry;number;total;previous hash`` with the producer's key
(Portaria 363/2010) and saves the document, its lines and the new end of the chain. A
failure anywhere rolls all of it back, number included: no gap, no duplicate.
"""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.db import transaction
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
from balcao.contracts.models import Contract
from balcao.core.transitions import check_transition, transition
from balcao.readings.models import Reading
from balcao.readings.services import mark_used_in_invoice


class IssueError(ValueError):
    """A document that cannot be issued as asked (a date before the series' last one, …)."""


def series_for(document_type: str, code: str | None = None) -> InvoiceSeries:
    """The series of the settings (BILLING_INVOICE_SERIES / BILLING_CREDIT_NOTE_SERIES),
    created on first use with the AT validation code of the settings."""
    if code is None:
        code = (
            settings.BILLING_INVOICE_SERIES
            if document_type == DocumentType.INVOICE
            else settings.BILLING_CREDIT_NOTE_SERIES
        )
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
    """The next number of the locked series, its entry time and its chained hash."""
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
    return sequence, number, entry, signature.sign(message, signature.private_key())


def _advance(series: InvoiceSeries, document: Invoice) -> None:
    series.last_number = document.sequence
    series.last_hash = document.hash
    series.last_issue_date = document.issue_date
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


def _line_rows(lines: Sequence[BillLine]) -> list[InvoiceLine]:
    # The descriptions are kept in Portuguese, the language of the legal document.
    with translation.override("pt-pt"):
        return [
            InvoiceLine(
                position=position,
                service=line.service,
                kind=line.kind,
                band=line.band,
                description=line.description(),
                quantity=line.quantity.quantize(Decimal("0.000001")),
                unit_price=line.unit_price,
                amount=line.amount,
                vat_rate=line.vat.rate,
                exemption_code=line.vat.exemption_code,
                exemption_reason=line.vat.exemption_reason,
            )
            for position, line in enumerate(lines, start=1)
        ]


@transaction.atomic
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
) -> Invoice:
    """Issue the invoice of one contract and period (DOMAIN.md "Invoices").

    ``computation`` is ``computation.compute_bill``'s result for the period (its days must
    be the period's); ``readings`` are the readings it used: they are linked to the invoice
    and those validated for billing move to "Usada na fatura FT …" (readings'
    ``mark_used_in_invoice``). Due date: BILLING_DUE_DAYS (≥ 20) after issue. Raises
    IntegrityError when the contract already has an invoice in force for this period.
    """
    days = (period_end - period_start).days + 1
    if computation.days != days:
        raise IssueError(f"The computation is for {computation.days} days, the period {days}.")
    issue_date = issue_date or timezone.localdate()
    contract = Contract.objects.select_related("customer", "account__billing_address").get(
        pk=contract.pk
    )
    series_pk = series_for(DocumentType.INVOICE, series_code).pk
    series = InvoiceSeries.objects.select_for_update().get(pk=series_pk)
    sequence, number, entry, document_hash = _sign_next(
        series, issue_date=issue_date, gross_total=computation.gross_total
    )
    invoice = Invoice(
        series=series,
        document_type=DocumentType.INVOICE,
        sequence=sequence,
        number=number,
        atcud=series.atcud(sequence),
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
        system_entry_at=entry,
        due_date=issue_date + datetime.timedelta(days=settings.BILLING_DUE_DAYS),
        net_total=computation.net_total,
        vat_total=computation.vat_total,
        gross_total=computation.gross_total,
        hash=document_hash,
        hash_control=settings.BILLING_KEY_VERSION,
        hash_characters=signature.printed_characters(document_hash),
        adjustment_note=adjustment_note,
        prescription_note=prescription_note,
        created_by=actor,
    )
    invoice.save()
    rows = _line_rows(computation.lines)
    for row in rows:
        row.invoice = invoice
    InvoiceLine.objects.bulk_create(rows)
    _advance(series, invoice)
    InvoiceEvent.objects.create(invoice=invoice, kind=InvoiceEvent.Kind.ISSUED, actor=actor)
    if readings:
        invoice.readings.set(readings)
        for reading in readings:
            if reading.status == Reading.Status.BILLABLE:
                mark_used_in_invoice(reading=reading, invoice_number=number, actor=actor)
    _keep_pdf_on_commit(invoice)
    return invoice


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
    _advance(series, note)
    InvoiceEvent.objects.create(
        invoice=note, kind=InvoiceEvent.Kind.ISSUED, actor=actor, note=invoice.number
    )
    transition(
        invoice,
        Invoice.Status.CANCELLED,
        actor=actor,
        note=f"{number}: {reason.strip()}",
    )
    _keep_pdf_on_commit(note)
    return note
