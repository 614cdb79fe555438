"""Reads about readings that pages and the billing run share (manual 6.3; DOMAIN.md)."""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Max, Min, OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from balcao.contracts.models import Contract, Installation, Meter
from balcao.readings.consumption import ONE_DAY, ConsumptionCurve, MeterRegister
from balcao.readings.models import Reading
from balcao.readings.windows import window_for


def default_daily_consumption(tariff_type: str | None) -> Decimal:
    """The no-history estimate (DOMAIN.md: READINGS_DEFAULT_M3_PER_30_DAYS, per tariff).

    A tariff the setting does not name is estimated as domestic.
    """
    table = settings.READINGS_DEFAULT_M3_PER_30_DAYS
    per_30 = table.get(tariff_type or Contract.TariffType.DOMESTIC)
    if per_30 is None:
        per_30 = table[Contract.TariffType.DOMESTIC]
    return Decimal(per_30) / 30


@dataclass
class InstallationReadings:
    """What the rules need about one installation, loaded in three queries."""

    installation: Installation
    meters: list[Meter]
    valid: list[Reading]  # real readings that count (company, and customer readings validated)
    register: MeterRegister
    curve: ConsumptionCurve

    @property
    def current_meter(self) -> Meter | None:
        return next((m for m in reversed(self.register.meters) if m.removed_on is None), None)

    def last_valid_on_current_meter(
        self, on_or_before: datetime.date | None = None
    ) -> Reading | None:
        """The current meter's latest valid reading, or its latest up to a day (an estimate
        of a past day must not rise to a reading taken after it)."""
        meter = self.current_meter
        if meter is None:
            return None
        on_meter = [
            r
            for r in self.valid
            if r.meter_id == meter.pk and (on_or_before is None or r.taken_on <= on_or_before)
        ]
        return on_meter[-1] if on_meter else None


def load_installation_readings(
    installation: Installation,
    *,
    tariff_type: str | None = None,
    meters: list[Meter] | None = None,
) -> InstallationReadings:
    """Meters, valid real readings and the consumption curve of one installation (the meters
    may be given, from meters_and_years).
    """
    if meters is None:
        meters = list(Meter.objects.filter(installation=installation))
    valid = list(
        Reading.objects.filter(
            installation=installation,
            origin__in=(Reading.Origin.CUSTOMER, Reading.Origin.COMPANY),
            status__in=Reading.VALID_STATUSES,
        )
        .only("id", "meter_id", "taken_on", "index", "origin", "created_at", "installation_id")
        .order_by("taken_on", "created_at", "pk")
    )
    if tariff_type is None:
        tariff_type = (
            Contract.objects.filter(installation=installation)
            .order_by("status", "-start_date")  # "active" sorts before "ended"
            .values_list("tariff_type", flat=True)
            .first()
        )
    register = MeterRegister(meters)
    # Later wins on the same day: meter points, then customer, then company readings.
    ranked = sorted(valid, key=lambda r: (r.taken_on, r.origin == Reading.Origin.COMPANY))
    points = register.points() + [
        (r.taken_on, register.volume(r.meter_id, r.index)) for r in ranked
    ]
    points.sort(key=lambda p: p[0])
    curve = ConsumptionCurve(points, default_daily_consumption(tariff_type))
    return InstallationReadings(installation, meters, valid, register, curve)


def load_readings_of(
    installations: "list[Installation]",
    tariff_types: dict[int, str | None],
    *,
    taken_until: datetime.date | None = None,
) -> dict[int, InstallationReadings]:
    """``load_installation_readings`` for many installations in two queries (the billing
    run's batches); ``tariff_types`` maps an installation's pk to its contract's tariff type
    (the no-history estimate depends on it); ``taken_until`` ignores later readings (the
    demo bills its history as it was known then)."""
    ids = [installation.pk for installation in installations]
    meters: dict[int, list[Meter]] = {pk: [] for pk in ids}
    for meter in Meter.objects.filter(installation_id__in=ids):
        meters[meter.installation_id].append(meter)
    valid: dict[int, list[Reading]] = {pk: [] for pk in ids}
    rows = Reading.objects.filter(
        installation_id__in=ids,
        origin__in=(Reading.Origin.CUSTOMER, Reading.Origin.COMPANY),
        status__in=Reading.VALID_STATUSES,
    )
    if taken_until is not None:
        rows = rows.filter(taken_on__lte=taken_until)
    for reading in rows.only(
        "id",
        "meter_id",
        "taken_on",
        "index",
        "origin",
        "status",
        "created_at",
        "installation_id",
    ).order_by("taken_on", "created_at", "pk"):
        valid[reading.installation_id].append(reading)
    found = {}
    for installation in installations:
        register = MeterRegister(meters[installation.pk])
        kept = valid[installation.pk]
        ranked = sorted(kept, key=lambda r: (r.taken_on, r.origin == Reading.Origin.COMPANY))
        points = register.points() + [
            (r.taken_on, register.volume(r.meter_id, r.index)) for r in ranked
        ]
        points.sort(key=lambda p: p[0])
        curve = ConsumptionCurve(
            points, default_daily_consumption(tariff_types.get(installation.pk))
        )
        found[installation.pk] = InstallationReadings(
            installation, meters[installation.pk], kept, register, curve
        )
    return found


# --- The estimate for billing ---------------------------------------------------------


@dataclass(frozen=True)
class PeriodConsumption:
    start: datetime.date
    end: datetime.date
    volume: Decimal  # m³, to the litre
    estimated: bool

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def consumption_for_period(
    installation: Installation, start: datetime.date, end: datetime.date
) -> PeriodConsumption:
    """The consumption to bill for the days ``start``..``end`` (both included).

    DOMAIN.md "Meter readings": real readings where they exist (the volume between
    two real readings grows evenly over the days between them); after the last real
    reading, an estimate: the average daily consumption between the last two real
    readings × the days, or, with no history, the tariff's default (10 m³ per 30 days
    for domestic, illustrative, setting READINGS_DEFAULT_M3_PER_30_DAYS). Meter
    replacements count what each meter measured. The billing run calls this.
    """
    data = load_installation_readings(installation)
    volume, estimated = data.curve.volume_between(start, end)
    return PeriodConsumption(start=start, end=end, volume=volume, estimated=estimated)


# --- The checks of a customer reading ------------------------------------------------


@dataclass
class Assessment:
    refusal: str | None = None
    warnings: list[str] = field(default_factory=list)
    outside_window: bool = False
    out_of_range: bool = False

    @property
    def warning_codes(self) -> frozenset[str]:
        """The warnings by code, the same in every language: what an acceptance refers to."""
        flags = {"out_of_range": self.out_of_range, "outside_window": self.outside_window}
        return frozenset(code for code, on in flags.items() if on)


def assess_reading(
    installation: Installation,
    index: int,
    day: datetime.date,
    data: InstallationReadings | None = None,
) -> Assessment:
    """Check a customer reading before it is stored (manual 6.3; DOMAIN.md).

    Refused when lower than the last valid index of the current meter. Warnings:
    outside the window ("Leitura submetida fora das datas esperadas"); implied
    consumption above 3× or below 0.3× the expected one, or per 30 days above 3× the
    largest monthly consumption on record ("Leitura fora dos valores esperados").
    Expected = average daily consumption between the last two real readings × days
    since the last reading. Factors are settings (READINGS_WARN_*).
    """
    data = data or load_installation_readings(installation)
    outcome = Assessment()
    meter = data.current_meter
    if meter is None:
        outcome.refusal = _(
            "Esta instalação não tem contador ativo. Contacte-nos para comunicar a leitura."
        )
        return outcome
    last = data.last_valid_on_current_meter()
    floor = last.index if last else meter.initial_index
    if index < floor:
        if last:
            outcome.refusal = _(
                "A leitura não pode ser inferior à última leitura válida (%(index)s m³ em "
                "%(date)s). Confirme o número no contador. Se o contador foi substituído, "
                "faça um pedido em «Meus pedidos» para atualizarmos o contador."
            ) % {"index": last.index, "date": last.taken_on.strftime("%d/%m/%Y")}
        else:
            outcome.refusal = _(
                "A leitura não pode ser inferior ao índice inicial do contador (%(index)s m³). "
                "Confirme o número no contador. Se o contador foi substituído, faça um pedido "
                "em «Meus pedidos» para atualizarmos o contador."
            ) % {"index": floor}
        return outcome

    curve = data.curve
    last_point = curve.last
    if last_point is not None and day > last_point.day:
        days = (day - last_point.day).days
        implied = Decimal(data.register.volume(meter.pk, index)) - last_point.volume
        expected = curve.daily_rate() * days
        high = Decimal(str(settings.READINGS_WARN_ABOVE_EXPECTED))
        low = Decimal(str(settings.READINGS_WARN_BELOW_EXPECTED))
        record_factor = Decimal(str(settings.READINGS_WARN_ABOVE_LARGEST_MONTH))
        if implied > high * expected or implied < low * expected:
            outcome.out_of_range = True
        largest = curve.largest_monthly()
        if largest is not None and largest > 0 and implied * 30 / days > record_factor * largest:
            outcome.out_of_range = True
    if day not in window_for(installation, day):
        outcome.outside_window = True
    if outcome.out_of_range:
        outcome.warnings.append(_("Leitura fora dos valores esperados"))
    if outcome.outside_window:
        outcome.warnings.append(_("Leitura submetida fora das datas esperadas"))
    return outcome


# --- History and consumption pages -----------------------------------------------------


def reading_years(installation: Installation, today: datetime.date) -> list[int]:
    """The years with readings, newest first, always including the current year."""
    span = Reading.objects.filter(installation=installation).aggregate(
        first=Min("taken_on"), last=Max("taken_on")
    )
    return _years(span["first"], span["last"], today)


def _years(
    first: datetime.date | None, last: datetime.date | None, today: datetime.date
) -> list[int]:
    first_year = first.year if first else today.year
    last_year = max(last.year if last else today.year, today.year)
    return list(range(last_year, first_year - 1, -1))


def meters_and_years(
    installation: Installation, today: datetime.date
) -> tuple[list[Meter], list[int]]:
    """The installation's meters and reading_years, in one query (the history and consumption
    pages): each meter row carries the installation's first and last reading day.
    """
    readings = Reading.objects.filter(installation=OuterRef("installation_id"))
    annotated = list(
        Meter.objects.filter(installation=installation).annotate(
            first_reading=Subquery(readings.order_by("taken_on").values("taken_on")[:1]),
            last_reading=Subquery(readings.order_by("-taken_on").values("taken_on")[:1]),
        )
    )
    meters: list[Meter] = list(annotated)
    if not annotated:
        return meters, reading_years(installation, today)
    return meters, _years(annotated[0].first_reading, annotated[0].last_reading, today)


@dataclass
class HistoryRow:
    reading: Reading
    consumption: int | None  # m³ since the previous reading that counts; None: not counted
    # The higher estimate this real reading came in below (DOMAIN.md: the acerto corrects it).
    below_estimate: Reading | None = None


def _counts(reading: Reading) -> bool:
    """A real reading that the consumption curve uses (load_installation_readings)."""
    return reading.is_real and reading.status in Reading.VALID_STATUSES


def reading_history(
    installation: Installation, year: int, *, meters: list[Meter] | None = None
) -> list[HistoryRow]:
    """The year's readings, newest first, with the m³ since the reading before each.

    The figures are the consumption chart's (DOMAIN.md "Meter readings"): a real reading
    that counts (validated or invoiced) is compared with the previous one that counts,
    so the sum of its rows is what the months between them add up to. An estimate is
    not an index the meter showed: its row shows what it estimated since the reading
    before it, and the real reading after it counts from the last real one (it may be
    below the estimate: then ``below_estimate`` names it). A reading kept for history
    only is not in the sums (None). Same day: a company reading wins, as in the curve.
    One query for the readings whatever the length of the history (the year's, the last
    one that counts before the year and the last real one that counts before it), and one
    for the meters unless given (meters_and_years).
    """
    if meters is None:
        meters = list(Meter.objects.filter(installation=installation))
    register = MeterRegister(meters)
    by_id = {meter.pk: meter for meter in meters}
    start = datetime.date(year, 1, 1)
    base = Reading.objects.filter(installation=installation)
    before = base.filter(taken_on__lt=start, status__in=Reading.VALID_STATUSES).order_by(
        "-taken_on", "-created_at", "-pk"
    )
    last_before = before.values("pk")[:1]
    last_real_before = before.exclude(origin=Reading.Origin.ESTIMATE).values("pk")[:1]
    found = list(
        base.filter(
            Q(taken_on__year=year) | Q(pk=Subquery(last_before)) | Q(pk=Subquery(last_real_before))
        ).order_by("taken_on", "created_at", "pk")
    )
    for reading in found:
        if reading.meter_id in by_id:  # the page shows the meter's serial without a query
            reading.meter = by_id[reading.meter_id]
    rows = [r for r in found if r.taken_on >= start]
    rows.sort(key=lambda r: (r.taken_on, r.origin == Reading.Origin.COMPANY))
    earlier_ones = [r for r in found if r.taken_on < start]
    previous = earlier_ones[-1] if earlier_ones else None  # the last that counts, or an estimate
    previous_real = next((r for r in reversed(earlier_ones) if r.is_real), None)
    estimate = previous if previous is not None and not previous.is_real else None

    def since(reading: Reading, earlier: Reading | None) -> int | None:
        if earlier is None:
            return None
        return register.volume(reading.meter_id, reading.index) - register.volume(
            earlier.meter_id, earlier.index
        )

    history = []
    for reading in rows:
        if reading.is_real and not _counts(reading):
            history.append(HistoryRow(reading, None))
            continue
        if not reading.is_real:
            history.append(HistoryRow(reading, since(reading, previous)))
            previous = estimate = reading
            continue
        below = None
        if estimate is not None and register.volume(estimate.meter_id, estimate.index) > (
            register.volume(reading.meter_id, reading.index)
        ):
            below = estimate
        history.append(HistoryRow(reading, since(reading, previous_real), below))
        previous = previous_real = reading
        estimate = None
    history.reverse()
    return history


def estimate_above(reading: Reading) -> Reading | None:
    """The estimate since the last real reading that this real reading came in below.

    DOMAIN.md: an estimate is not an index the meter showed; a real reading below it is
    right, and the next invoice corrects ("acerto") what the estimates billed.
    """
    if not reading.is_real:
        return None
    earlier = Reading.objects.filter(
        installation_id=reading.installation_id,
        meter_id=reading.meter_id,
        taken_on__lte=reading.taken_on,
        status__in=Reading.VALID_STATUSES,
    ).exclude(pk=reading.pk)
    last_real = earlier.exclude(origin=Reading.Origin.ESTIMATE).order_by("-taken_on", "-pk").first()
    estimates = earlier.filter(origin=Reading.Origin.ESTIMATE, index__gt=reading.index)
    if last_real is not None:
        estimates = estimates.filter(taken_on__gte=last_real.taken_on)
    return estimates.order_by("-index").first()


@dataclass(frozen=True)
class MonthConsumption:
    month: int
    start: datetime.date
    end: datetime.date
    volume: Decimal  # m³, one decimal, never negative
    estimated: bool
    # The first estimated day: after the last real reading (start: the whole month).
    estimated_from: datetime.date | None = None

    @property
    def partly_estimated(self) -> bool:
        return self.estimated_from is not None and self.estimated_from > self.start

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def litres_per_day(self) -> int:
        return int((self.volume * 1000 / self.days).to_integral_value())


def consumption_by_month(
    installation: Installation,
    year: int,
    today: datetime.date,
    *,
    tariff_type: str | None = None,
    meters: list[Meter] | None = None,
) -> list[MonthConsumption]:
    """Each month's m³ of the year up to today (manual 6.3 point 4, "Consumos")."""
    data = load_installation_readings(installation, tariff_type=tariff_type, meters=meters)
    months = []
    for month in range(1, 13):
        start = datetime.date(year, month, 1)
        if start > today:
            break
        end = min(datetime.date(year, month, calendar.monthrange(year, month)[1]), today)
        volume, estimated = data.curve.volume_between(start, end)
        volume = max(volume.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), Decimal(0))
        estimated_from = None
        if estimated:
            last = data.curve.last
            estimated_from = max(start, last.day + ONE_DAY) if last else start
        months.append(MonthConsumption(month, start, end, volume, estimated, estimated_from))
    return months
