"""The monthly billing run (DOMAIN.md "Invoices"; docs/billing.md "The billing run").

One invoice per contract and month: the contract's consumption for its days of the month
(readings' curve: real where read, else the estimate, stored as a reading: readings'
``estimate_for``), the acerto of earlier estimated invoices whose periods real readings now
cover (down as well as up, never charging consumption older than 6 months: Lei 23/96
art. 10), priced by ``balcao.billing.period``, and issued by ``issue_invoice`` (gapless
number, signature).

The run works by batches of contracts: one transaction per batch that first locks the
invoice series' row (so workers, one per municipality or overlapping, take turns and
what is already billed is read under the lock and skipped). It computes every invoice of
the batch first, in Python, each drafted by ``issue_invoice(into=…)``: a contract that
fails is counted and left out, nothing of it written. Then ``issue_invoices_bulk`` numbers
and signs the drafts in order and writes them all in a few statements; if that fails, it
writes them one by one, each in its savepoint, so that a failure takes back that
contract's invoice and nothing else. A crash loses the open batch only, and a new run
resumes where it stopped. The work is loaded per batch (contracts, readings, pending
estimates; tariffs once per run) and written per batch: a batch costs about 30 queries
however many invoices it has. Outside a run (a correction, the demo), ``bill_contract``
issues at once, locks the contract's row and checks for an invoice in force itself.
"""

import contextlib
import datetime
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.billing.computation import (
    BillComputation,
    BillLine,
    LineKind,
    TariffData,
    VatTreatment,
)
from balcao.billing.models import (
    BillingRun,
    DocumentType,
    EstimateAdjustment,
    Invoice,
    InvoiceLine,
    InvoiceSeries,
    Tariff,
)
from balcao.billing.period import TariffSpan, acerto_lines, for_product, period_bill
from balcao.billing.services.invoices import (
    IssueBatch,
    issue_invoice,
    issue_invoices_bulk,
    series_for,
)
from balcao.contracts.models import Contract
from balcao.core.transitions import transition
from balcao.readings.models import Reading
from balcao.readings.selectors import (
    InstallationReadings,
    load_installation_readings,
    load_readings_of,
)
from balcao.readings.services import estimate_for

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
PRESCRIPTION_MONTHS = 6  # Lei 23/96 art. 10: the debt prescribes 6 months after the service
MAX_ERRORS_KEPT = 50


class BillingError(ValueError):
    """A contract that cannot be billed as it stands (no tariff, no meter, …)."""


@dataclass
class RunCounts:
    total: int = 0
    seen: int = 0
    issued: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month of ``month``."""
    first = month.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def parse_month(text: str) -> datetime.date:
    """``2026-10`` → 2026-10-01 (ValueError otherwise)."""
    return datetime.datetime.strptime(text.strip(), "%Y-%m").date()


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` earlier (the month's last day when it has fewer days)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    last = month_bounds(datetime.date(year, month + 1, 1))[1]
    return datetime.date(year, month + 1, min(day.day, last.day))


def contracts_to_bill(month: datetime.date, municipality_code: str | None = None) -> "list[int]":
    """The pks of the contracts with days in the month (active, or ended within it)."""
    first, last = month_bounds(month)
    contracts = Contract.objects.filter(start_date__lte=last).filter(
        Q(status=Contract.Status.ACTIVE, end_date__isnull=True) | Q(end_date__gte=first)
    )
    if municipality_code:
        contracts = contracts.filter(installation__address__municipality__code=municipality_code)
    return list(contracts.order_by("pk").values_list("pk", flat=True))


class Tariffs:
    """Every tariff, loaded once per run, and their pure data (cached)."""

    def __init__(self) -> None:
        self.by_type: dict[str, list[Tariff]] = {}
        for tariff in Tariff.objects.prefetch_related("services", "prices").order_by("valid_from"):
            self.by_type.setdefault(tariff.tariff_type, []).append(tariff)
        self._data: dict[int, TariffData] = {}

    def data(self, tariff: Tariff) -> TariffData:
        if tariff.pk not in self._data:
            self._data[tariff.pk] = tariff.to_data()
        return self._data[tariff.pk]

    def spans(
        self, tariff_type: str, start: datetime.date, end: datetime.date, product: str
    ) -> list[tuple[Tariff, TariffSpan]]:
        """The tariffs in force over start..end, each with its days (pro rata by days)."""
        tariffs = self.by_type.get(tariff_type, [])
        in_force = [t for t in tariffs if t.valid_from <= start]
        if not in_force:
            raise BillingError(
                f"No {tariff_type} tariff in force on {start:%Y-%m-%d}: load one (load_tariff)."
            )
        chosen = [in_force[-1], *[t for t in tariffs if start < t.valid_from <= end]]
        spans = []
        for number, tariff in enumerate(chosen):
            span_start = start if number == 0 else tariff.valid_from
            span_end = (
                chosen[number + 1].valid_from - datetime.timedelta(days=1)
                if number + 1 < len(chosen)
                else end
            )
            data = for_product(self.data(tariff), product)
            spans.append((tariff, TariffSpan(data, span_start, span_end)))
        return spans


@dataclass
class Batch:
    """What a batch of contracts needs, loaded in a handful of queries."""

    contracts: list[Contract]
    readings: dict[int, InstallationReadings]
    billed: set[int]
    billable: dict[int, list[Reading]]  # installation → real readings not yet invoiced
    estimates: dict[int, list[Reading]]  # installation → estimates stored in the month
    pending: dict[int, list[Invoice]]  # contract → estimated invoices not yet corrected
    taken_until: datetime.date | None = None  # later readings ignored (the demo's history)


def load_batch(
    pks: Sequence[int], month: datetime.date, *, taken_until: datetime.date | None = None
) -> Batch:
    first, last = month_bounds(month)
    contracts = list(
        Contract.objects.filter(pk__in=pks)
        .select_related("customer", "account__billing_address", "installation")
        .order_by("pk")
    )
    installations = [contract.installation for contract in contracts]
    tariff_types: dict[int, str | None] = {c.installation_id: c.tariff_type for c in contracts}
    readings = load_readings_of(installations, tariff_types, taken_until=taken_until)
    billed = set(
        Invoice.objects.filter(
            contract_id__in=pks,
            document_type=DocumentType.INVOICE,
            period_start__range=(first, last),
        )
        .exclude(status=Invoice.Status.CANCELLED)
        .values_list("contract_id", flat=True)
    )
    installation_ids = [installation.pk for installation in installations]
    billable: dict[int, list[Reading]] = {}
    estimates: dict[int, list[Reading]] = {}
    until = min(last, taken_until) if taken_until else last
    for reading in Reading.objects.filter(
        installation_id__in=installation_ids, status=Reading.Status.BILLABLE, taken_on__lte=until
    ).order_by("taken_on", "pk"):
        if reading.origin == Reading.Origin.ESTIMATE:
            if reading.taken_on >= first:
                estimates.setdefault(reading.installation_id, []).append(reading)
        else:
            billable.setdefault(reading.installation_id, []).append(reading)
    pending: dict[int, list[Invoice]] = {}
    for invoice in pending_estimates(pks, before=first):
        pending.setdefault(invoice.contract_id, []).append(invoice)
    return Batch(contracts, readings, billed, billable, estimates, pending, taken_until)


def pending_estimates(contract_pks: Iterable[int], *, before: datetime.date) -> "list[Invoice]":
    """Estimated invoices in force, ending before ``before``, that no acerto in force has
    corrected yet (an acerto on a cancelled invoice no longer counts), with their variable
    lines."""
    corrected = EstimateAdjustment.objects.filter(estimated_invoice=OuterRef("pk")).exclude(
        invoice__status=Invoice.Status.CANCELLED
    )
    return list(
        Invoice.objects.filter(
            contract_id__in=list(contract_pks),
            document_type=DocumentType.INVOICE,
            estimated=True,
            period_end__lt=before,
        )
        .exclude(status=Invoice.Status.CANCELLED)
        .exclude(Exists(corrected))
        .only(
            "pk",
            "contract_id",
            "period_start",
            "period_end",
            "tariff_type",
            "household_size",
            "water_volume",
            "number",
        )
        .prefetch_related(
            Prefetch("lines", queryset=InvoiceLine.objects.filter(kind=LineKind.VARIABLE))
        )
        .order_by("period_start", "pk")
    )


def _as_bill_line(line: InvoiceLine) -> BillLine:
    return BillLine(
        service=line.service,  # type: ignore[arg-type]  # the stored value of a Service
        kind=LineKind(line.kind),
        band=line.band,
        quantity=line.quantity,
        unit_price=line.unit_price,
        amount=line.amount,
        vat=VatTreatment(
            rate=line.vat_rate,
            exemption_code=line.exemption_code,
            exemption_reason=line.exemption_reason,
        ),
    )


def _volume(value: Decimal) -> str:
    return f"{value:.3f}".replace(".", ",")


def _periods(invoices: Sequence[Invoice]) -> str:
    return ", ".join(f"{i.period_start:%d/%m/%Y}–{i.period_end:%d/%m/%Y}" for i in invoices)


@dataclass
class Correction:
    """One estimated invoice corrected by this invoice."""

    invoice: Invoice
    real_volume: Decimal
    billed_lines: list[BillLine]
    real_lines: list[BillLine]
    prescribed: bool

    @property
    def difference(self) -> Decimal:
        return self.real_volume - self.invoice.water_volume

    @property
    def amount(self) -> Decimal:
        if self.prescribed:
            return Decimal("0.00")
        real = sum((line.amount for line in self.real_lines), Decimal(0))
        billed = sum((line.amount for line in self.billed_lines), Decimal(0))
        return real - billed


def _corrections(
    contract: Contract,
    pending: Sequence[Invoice],
    readings: InstallationReadings,
    tariffs: Tariffs,
    *,
    issue_date: datetime.date,
) -> list[Correction]:
    """The pending estimated invoices that real readings now cover, with their acerto."""
    cutoff = months_before(issue_date, PRESCRIPTION_MONTHS)
    found = []
    for invoice in pending:
        real_volume, estimated = readings.curve.volume_between(
            invoice.period_start, invoice.period_end
        )
        if estimated:
            continue  # no real reading after it yet: it stays pending
        spans = tariffs.spans(
            invoice.tariff_type, invoice.period_start, invoice.period_end, contract.product
        )
        meter = readings.current_meter
        real = period_bill(
            [span for _tariff, span in spans],
            water_volume=real_volume,
            tariff_type=invoice.tariff_type,
            household_size=invoice.household_size,
            calibre_mm=meter.calibre_mm if meter else None,
        )
        # The consumer's side of art. 10: more consumption than billed is not charged
        # once older than 6 months (the whole period counts from its first day); a refund
        # is always given.
        prescribed = invoice.period_start < cutoff and real_volume > invoice.water_volume
        found.append(
            Correction(
                invoice=invoice,
                real_volume=real_volume,
                billed_lines=[_as_bill_line(line) for line in invoice.lines.all()],
                real_lines=[line for line in real.lines if line.kind == LineKind.VARIABLE],
                prescribed=prescribed,
            )
        )
    return found


def _notes(applied: Sequence[Correction]) -> tuple[str, str]:
    """The invoice's acerto and prescription notes, in Portuguese (the document's language)."""
    charged = [c for c in applied if not c.prescribed]
    prescribed = [c for c in applied if c.prescribed]
    adjustment = prescription = ""
    with translation.override("pt-pt"):
        if charged:
            billed = sum((c.invoice.water_volume for c in charged), Decimal(0))
            real = sum((c.real_volume for c in charged), Decimal(0))
            adjustment = _(
                "Acerto de consumos estimados (%(periods)s): faturados %(billed)s m³ por "
                "estimativa, consumo real %(real)s m³ (%(difference)s m³)."
            ) % {
                "periods": _periods([c.invoice for c in charged]),
                "billed": _volume(billed),
                "real": _volume(real),
                "difference": ("+" if real >= billed else "") + _volume(real - billed),
            }
        if prescribed:
            extra = sum((c.difference for c in prescribed), Decimal(0))
            prescription = _(
                "Não é cobrado o consumo real acima do estimado em %(periods)s (%(volume)s m³): "
                "tem mais de 6 meses e prescreveu (Lei n.º 23/96, artigo 10.º)."
            ) % {"periods": _periods([c.invoice for c in prescribed]), "volume": _volume(extra)}
    return adjustment, prescription


def bill_contract(
    contract: Contract,
    *,
    month: datetime.date,
    issue_date: datetime.date,
    batch: Batch,
    tariffs: Tariffs,
    actor: User | None = None,
    series_locked: bool = False,
    into: IssueBatch | None = None,
) -> Invoice | None:
    """Issue the month's invoice of one contract, in one transaction; None when it already
    has one (another worker, an earlier run).

    ``series_locked``: the caller holds the invoice series' row and loaded ``batch.billed``
    under it (the run), so nobody else can have billed the contract meanwhile. ``into``:
    the run's batch of drafts; the invoice is computed and drafted into it (nothing is
    written, the invoice returned has no number yet), ``issue_invoices_bulk`` issues it."""
    first, last = month_bounds(month)
    start = max(first, contract.start_date)
    end = min(last, contract.end_date) if contract.end_date else last
    readings = batch.readings[contract.installation_id]
    # Drafted into the run's batch, nothing is written here: no savepoint to pay for.
    with transaction.atomic() if into is None else contextlib.nullcontext():
        if not series_locked:
            # The contract's row makes "already billed?" reliable against another writer.
            Contract.objects.select_for_update().filter(pk=contract.pk).values_list("pk").first()
            in_force = Invoice.objects.filter(
                contract_id=contract.pk,
                document_type=DocumentType.INVOICE,
                period_start__range=(first, last),
            ).exclude(status=Invoice.Status.CANCELLED)
            if in_force.exists():
                return None
        pending = batch.pending.get(contract.pk, [])
        if pending:  # another run (another month) may have corrected them meanwhile
            pending = pending_estimates([contract.pk], before=first)
        volume, estimated = readings.curve.volume_between(start, end)
        spans = tariffs.spans(contract.tariff_type, start, end, contract.product)
        meter = readings.current_meter
        corrections = _corrections(contract, pending, readings, tariffs, issue_date=issue_date)

        def bill(applied: Sequence[Correction]) -> BillComputation:
            return period_bill(
                [span for _tariff, span in spans],
                water_volume=volume,
                tariff_type=contract.tariff_type,
                household_size=contract.household_size,
                calibre_mm=meter.calibre_mm if meter else None,
                extra=acerto_lines(
                    (c.billed_lines, c.real_lines) for c in applied if not c.prescribed
                ),
            )

        applied = list(corrections)
        computation = bill(applied)
        # An invoice is never negative (SAF-T totals are ≥ 0): a refund larger than the
        # month's bill waits, latest period first, for the next invoice.
        while computation.gross_total < 0:
            refunds = [c for c in applied if c.amount < 0]
            if not refunds:
                break
            applied.remove(refunds[-1])
            computation = bill(applied)

        used = list(batch.billable.get(contract.installation_id, []))
        used += [
            r
            for r in readings.valid
            if start <= r.taken_on <= end and r.status != Reading.Status.BILLABLE
        ]
        estimate = None
        if estimated:
            stored = [
                r for r in batch.estimates.get(contract.installation_id, []) if r.taken_on == end
            ]
            if stored:
                used.append(stored[-1])
            elif meter is not None:
                # From every valid reading, as readings' record_estimate: the batch's when
                # it was loaded with all of them.
                known = (
                    readings
                    if batch.taken_until is None
                    else load_installation_readings(contract.installation)
                )
                estimate = estimate_for(known, end)
            else:
                raise BillingError(f"{contract}: no meter to estimate from.")
        adjustment_note, prescription_note = _notes(applied)
        invoice = issue_invoice(
            contract=contract,
            period_start=start,
            period_end=end,
            tariff=spans[-1][0],
            computation=computation,
            readings=used,
            estimate=estimate,
            estimated=estimated,
            issue_date=issue_date,
            adjustment_note=adjustment_note,
            prescription_note=prescription_note,
            actor=actor,
            into=into,
        )
        adjustments = [
            EstimateAdjustment(
                invoice=invoice,
                estimated_invoice=c.invoice,
                billed_volume=c.invoice.water_volume,
                real_volume=c.real_volume,
                amount=c.amount,
                prescribed=c.prescribed,
            )
            for c in applied
        ]
        if into is not None:
            into.draft_of(contract.pk).rows.extend(adjustments)
        elif adjustments:
            EstimateAdjustment.objects.bulk_create(adjustments)
        return invoice


def run_billing(
    *,
    month: datetime.date,
    municipality_code: str | None = None,
    issue_date: datetime.date | None = None,
    actor: User | None = None,
    billing_run: BillingRun | None = None,
    progress: Callable[[RunCounts], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> RunCounts:
    """Bill every contract of the month (or one municipality's): see the module's text.

    A contract that fails is counted and logged and the run goes on (its transaction left
    nothing); ``billing_run``'s counters follow each batch.
    """
    issue_date = issue_date or timezone.localdate()
    if month_bounds(month)[1] >= issue_date:
        raise BillingError(f"{month:%Y-%m} has not ended on {issue_date:%Y-%m-%d}.")
    tariffs = Tariffs()
    pks = contracts_to_bill(month, municipality_code)
    counts = RunCounts(total=len(pks))
    if billing_run is not None:
        BillingRun.objects.filter(pk=billing_run.pk).update(total=counts.total)
    series_pk = series_for(DocumentType.INVOICE).pk
    for offset in range(0, len(pks), batch_size):
        # One transaction per batch that holds the series' row from the start: workers take
        # turns by batch (no deadlock: the series is always the first lock) and what is
        # billed is read under the lock. Every invoice of the batch is computed first, in
        # Python (a contract that fails is counted and left out), then the batch is issued
        # at once: numbered and signed in order, written in a few queries
        # (issue_invoices_bulk; if that fails, invoice by invoice, each in its savepoint).
        # A crash loses the open batch, never part of an invoice, and the next run resumes.
        with transaction.atomic():
            InvoiceSeries.objects.select_for_update().filter(pk=series_pk).values_list("pk").first()
            batch = load_batch(pks[offset : offset + batch_size], month)
            drafts = IssueBatch()
            for contract in batch.contracts:
                counts.seen += 1
                if contract.pk in batch.billed:
                    counts.skipped += 1
                    continue
                try:
                    bill_contract(
                        contract,
                        month=month,
                        issue_date=issue_date,
                        batch=batch,
                        tariffs=tariffs,
                        actor=actor,
                        series_locked=True,
                        into=drafts,
                    )
                except Exception as error:  # noqa: BLE001 - one contract's failure is counted
                    drafts.discard(contract.pk)
                    _count_failure(counts, contract, month, error)
            issued, failed = issue_invoices_bulk(drafts)
            counts.issued += len(issued)
            for invoice, reason in failed:
                _count_failure(counts, invoice.contract, month, reason)
        if billing_run is not None:
            _save_counts(billing_run, counts)
        if progress is not None:
            progress(counts)
    return counts


def _count_failure(
    counts: RunCounts, contract: Contract, month: datetime.date, error: Exception
) -> None:
    counts.failed += 1
    logger.error("Billing %s for %s failed", contract, f"{month:%Y-%m}", exc_info=error)
    if len(counts.errors) < MAX_ERRORS_KEPT:
        counts.errors.append(f"{contract.contract_number}: {error}")


def _save_counts(billing_run: BillingRun, counts: RunCounts) -> None:
    BillingRun.objects.filter(pk=billing_run.pk).update(
        total=counts.total,
        seen=counts.seen,
        issued=counts.issued,
        skipped=counts.skipped,
        failed=counts.failed,
        errors="\n".join(counts.errors),
    )


def perform_billing_run(billing_run: BillingRun) -> RunCounts:
    """Run a recorded BillingRun (the admin's background task, the command): running → done,
    or → failed with what happened when the run itself breaks off."""
    with transaction.atomic():
        billing_run = BillingRun.objects.select_for_update().get(pk=billing_run.pk)
        transition(billing_run, BillingRun.Status.RUNNING, actor=billing_run.started_by)
    try:
        counts = run_billing(
            month=billing_run.period,
            municipality_code=(
                billing_run.municipality.code if billing_run.municipality is not None else None
            ),
            issue_date=billing_run.issue_date,
            actor=billing_run.started_by,
            billing_run=billing_run,
        )
    except Exception as error:
        billing_run.refresh_from_db()
        billing_run.finished_at = timezone.now()
        transition(
            billing_run, BillingRun.Status.FAILED, note=str(error)[:500], fields=["finished_at"]
        )
        raise
    billing_run.refresh_from_db()
    billing_run.finished_at = timezone.now()
    transition(
        billing_run,
        BillingRun.Status.DONE,
        note=f"{counts.issued} / {counts.skipped} / {counts.failed}",
        fields=["finished_at"],
    )
    return counts


def start_billing_run(
    *,
    month: datetime.date,
    municipality_code: str | None = None,
    issue_date: datetime.date | None = None,
    actor: User | None = None,
) -> BillingRun:
    """Record a run and hand it to the background worker (after commit); the admin's page
    follows its counters."""
    from balcao.billing.tasks import billing_run_task
    from balcao.core.models import Municipality

    issue_date = issue_date or timezone.localdate()
    if month_bounds(month)[1] >= issue_date:
        raise BillingError(f"{month:%Y-%m} has not ended on {issue_date:%Y-%m-%d}.")
    municipality = Municipality.objects.get(code=municipality_code) if municipality_code else None
    billing_run = BillingRun.objects.create(
        period=month.replace(day=1),
        municipality=municipality,
        issue_date=issue_date,
        started_by=actor,
    )
    billing_run.events.create(kind=BillingRun.Status.QUEUED, actor=actor)
    transaction.on_commit(lambda: billing_run_task.enqueue(billing_run_id=billing_run.pk))
    return billing_run
