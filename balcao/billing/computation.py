"""The bill of one period, computed from a tariff: a pure function, no database.

DOMAIN.md "Tariffs (ERSAR structure)" is the specification:

- per service a fixed part in € per 30 days (for non-domestic by meter calibre) and a
  variable part in € per m³, progressive by band for domestic water (1.º 0–5, 2.º >5–15,
  3.º >15–25, 4.º >25 m³ per 30 days), each m³ priced in its own band;
- sanitation on the sanitation volume = water volume × the collection coefficient, through
  its own bands; waste on the water volume at a flat price; TRH água on the water volume,
  TRH saneamento on the sanitation volume;
- for a period of D days: fixed line = price × D / 30; band limits = limits × D / 30, exact;
- each line's amount = quantity × unit price rounded half-up to cents
  (``balcao.core.money.round_money``); VAT per rate = rate × the sum of that rate's bases,
  rounded half-up once; total = the rounded lines + VAT;
- VAT: water and TRH água at 6 % (CIVA Lista I verba 1.8); sanitation, waste and TRH
  saneamento not subject (M99, AT Ofício-Circulado 25031). The treatment is tariff data.

Tariff types, as this module reads DOMAIN.md's one-line rules:

- **social**: no fixed water and sanitation parts; water at the 1.º band price up to
  15 m³ per 30 days. Above 15 m³ the normal bands apply again, from the band that contains
  15 m³ (so with the demo bands: 0–15 at the 1.º price, >15–25 at the 3.º, >25 at the 4.º):
  the social tariff widens the cheapest band, it does not make every m³ cheap. Sanitation,
  waste and TRH are unchanged (the rule names only the water price).
- **família numerosa**: each band limit + 3 m³ per 30 days per person beyond 4, for every
  banded service (water and sanitation: the sanitation bands follow the water they drain).
- **não doméstico**: its own tariff rows (flat prices, fixed part by calibre).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from balcao.contracts.models import Contract
from balcao.core.money import round_money

# The contract's tariff types are the tariffs' (doméstica, não doméstica, social, família
# numerosa): one list of choices, owned by contracts.
TariffType = Contract.TariffType

ZERO = Decimal("0")
THIRTY = Decimal("30")
# Social tariff: water at the 1.º band price up to this volume per 30 days.
SOCIAL_FIRST_BAND_UP_TO = Decimal("15")
# Família numerosa: each band limit grows by this volume per person beyond LARGE_FAMILY_FROM.
LARGE_FAMILY_EXTRA_PER_PERSON = Decimal("3")
LARGE_FAMILY_FROM = 4


class Service(models.TextChoices):
    """The services of a water bill, in the order an invoice lists them."""

    WATER = "water", _("Abastecimento de água")
    SANITATION = "sanitation", _("Saneamento de águas residuais")
    WASTE = "waste", _("Gestão de resíduos urbanos")
    TRH_WATER = "trh_water", _("Taxa de recursos hídricos — água")
    TRH_SANITATION = "trh_sanitation", _("Taxa de recursos hídricos — saneamento")


# Which volume each service's variable part is charged on (DOMAIN.md): not tariff data.
CHARGED_ON_SANITATION_VOLUME = frozenset({Service.SANITATION, Service.TRH_SANITATION})
# The services whose fixed part the social tariff waives.
SOCIAL_WAIVES_FIXED = frozenset({Service.WATER, Service.SANITATION})
SERVICE_ORDER = {service: position for position, service in enumerate(Service)}


class LineKind(models.TextChoices):
    FIXED = "fixed", _("Tarifa fixa")
    VARIABLE = "variable", _("Tarifa variável")
    # The correction of earlier estimates once a real reading arrives (billing's acerto):
    # a signed volume through the bands, priced as the estimated periods' tariffs.
    ADJUSTMENT = "adjustment", _("Acerto de consumos estimados")


class TariffError(ValueError):
    """Tariff data that cannot bill a period (no fixed price for the meter's calibre, …)."""


# --- The tariff, as data -------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """One band of a variable part: m³ per 30 days up to ``up_to`` (None: no limit)."""

    up_to: Decimal | None
    price: Decimal  # € per m³, 4 or more decimals


@dataclass(frozen=True)
class FixedPrice:
    """The fixed part in € per 30 days for meters up to ``up_to_calibre_mm`` (None: any)."""

    price: Decimal
    up_to_calibre_mm: int | None = None


@dataclass(frozen=True)
class VatTreatment:
    """A 6 % rate, or not subject with an exemption code and its legal reason (M99)."""

    rate: Decimal | None  # percent, e.g. Decimal("6")
    exemption_code: str = ""
    exemption_reason: str = ""

    def __post_init__(self) -> None:
        if (self.rate is None) == (not self.exemption_code):
            raise TariffError("A VAT treatment is either a rate or an exemption code.")
        if self.exemption_code and not self.exemption_reason:
            raise TariffError("An exemption code needs its reason.")


@dataclass(frozen=True)
class ServiceTerms:
    """One service of a tariff: its fixed part, its bands (one band: a flat price), its VAT."""

    service: Service
    vat: VatTreatment
    fixed: tuple[FixedPrice, ...] = ()
    bands: tuple[Band, ...] = ()

    def __post_init__(self) -> None:
        limits = [band.up_to for band in self.bands]
        if limits and limits[-1] is not None:
            raise TariffError(f"{self.service}: the last band has no upper limit.")
        if any(limit is None for limit in limits[:-1]):
            raise TariffError(f"{self.service}: only the last band is open-ended.")
        bounded = [limit for limit in limits if limit is not None]
        if any(low >= high for low, high in zip(bounded, bounded[1:], strict=False)):
            raise TariffError(f"{self.service}: band limits must increase.")
        if any(band.price < 0 for band in self.bands) or any(f.price < 0 for f in self.fixed):
            raise TariffError(f"{self.service}: prices cannot be negative.")

    def fixed_price(self, calibre_mm: int | None) -> Decimal | None:
        """The fixed part for a meter of this calibre: the first row that covers it."""
        if not self.fixed:
            return None
        rows = sorted(
            self.fixed, key=lambda row: (row.up_to_calibre_mm is None, row.up_to_calibre_mm or 0)
        )
        for row in rows:
            if row.up_to_calibre_mm is None or (
                calibre_mm is not None and calibre_mm <= row.up_to_calibre_mm
            ):
                return row.price
        raise TariffError(f"{self.service}: no fixed price for a {calibre_mm} mm meter.")


@dataclass(frozen=True)
class TariffData:
    """A tariff in force from ``valid_from`` for one tariff type (what ``Tariff`` stores)."""

    tariff_type: str
    valid_from: datetime.date
    sanitation_coefficient: Decimal
    services: tuple[ServiceTerms, ...]
    name: str = ""

    def __post_init__(self) -> None:
        seen = [terms.service for terms in self.services]
        if len(seen) != len(set(seen)):
            raise TariffError("Each service appears once in a tariff.")
        if not ZERO < self.sanitation_coefficient <= 1:
            raise TariffError("The sanitation coefficient is between 0 and 1.")

    def terms(self, service: Service) -> ServiceTerms | None:
        return next((terms for terms in self.services if terms.service == service), None)


# --- The result ----------------------------------------------------------------------


@dataclass(frozen=True)
class BillLine:
    """One line of the bill. ``quantity`` is exact (m³, or periods of 30 days for a fixed
    part); ``amount`` = quantity × unit price rounded half-up to cents."""

    service: Service
    kind: LineKind
    band: int | None  # 1.º, 2.º, … band; None for a fixed part or a single flat price
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    vat: VatTreatment
    band_from: Decimal | None = None  # the band's limits for this period (m³), for display
    band_to: Decimal | None = None

    @property
    def vat_rate(self) -> Decimal | None:
        return self.vat.rate

    @property
    def exemption_code(self) -> str:
        return self.vat.exemption_code

    @property
    def exemption_reason(self) -> str:
        return self.vat.exemption_reason

    def description(self) -> str:
        """The line as the invoice prints it, in the active language."""
        service = Service(self.service).label
        if self.kind == LineKind.ADJUSTMENT:
            if self.band is None:
                return gettext("Acerto de consumos estimados — %(service)s") % {"service": service}
            return gettext("Acerto de consumos estimados — %(service)s — %(band)s.º escalão") % {
                "service": service,
                "band": self.band,
            }
        if self.kind == LineKind.FIXED:
            return gettext("%(service)s — tarifa fixa") % {"service": service}
        if self.band is None:
            return gettext("%(service)s — tarifa variável") % {"service": service}
        return gettext("%(service)s — %(band)s.º escalão") % {"service": service, "band": self.band}


@dataclass(frozen=True)
class VatSummaryLine:
    """The VAT of one rate (or one exemption): the sum of its bases, the tax rounded once."""

    rate: Decimal | None
    exemption_code: str
    exemption_reason: str
    base: Decimal
    vat: Decimal


@dataclass(frozen=True)
class BillComputation:
    tariff_type: str
    days: int
    water_volume: Decimal
    sanitation_volume: Decimal
    lines: tuple[BillLine, ...]
    vat_summary: tuple[VatSummaryLine, ...]
    net_total: Decimal  # the sum of the rounded lines
    vat_total: Decimal
    gross_total: Decimal  # net + VAT: what the customer pays
    household_size: int | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def lines_for(self, service: Service) -> list[BillLine]:
        return [line for line in self.lines if line.service == service]


# --- The computation -----------------------------------------------------------------


def _scaled_bands(
    bands: Iterable[Band], *, days: int, extra_per_30_days: Decimal, social: bool
) -> list[tuple[int, Decimal, Decimal | None, Decimal]]:
    """(band number, lower, upper, price) for the period: limits × D/30, exact.

    Família numerosa adds ``extra_per_30_days`` to every limit; the social tariff prices
    the first 15 m³ per 30 days at the 1.º band price and resumes the normal bands above.
    """
    per_30 = [(n, band.up_to, band.price) for n, band in enumerate(bands, start=1)]
    if extra_per_30_days:
        per_30 = [(n, None if up is None else up + extra_per_30_days, p) for n, up, p in per_30]
    if social and per_30:
        first_price = per_30[0][2]
        first_up = per_30[0][1]
        if first_up is not None and first_up < SOCIAL_FIRST_BAND_UP_TO:
            rest = [row for row in per_30[1:] if row[1] is None or row[1] > SOCIAL_FIRST_BAND_UP_TO]
            per_30 = [(1, SOCIAL_FIRST_BAND_UP_TO, first_price), *rest]
    result = []
    lower = ZERO
    for number, up, price in per_30:
        upper = None if up is None else up * days / THIRTY  # multiply first: exact
        result.append((number, lower, upper, price))
        if upper is not None:
            lower = upper
    return result


def _variable_lines(
    terms: ServiceTerms,
    volume: Decimal,
    *,
    days: int,
    extra_per_30_days: Decimal,
    social: bool,
) -> list[BillLine]:
    bands = _scaled_bands(
        terms.bands, days=days, extra_per_30_days=extra_per_30_days, social=social
    )
    single = len(bands) == 1
    lines = []
    for number, lower, upper, price in bands:
        top = volume if upper is None else min(volume, upper)
        quantity = top - lower
        if quantity <= 0:
            continue
        lines.append(
            BillLine(
                service=terms.service,
                kind=LineKind.VARIABLE,
                band=None if single else number,
                quantity=quantity,
                unit_price=price,
                amount=round_money(quantity * price),
                vat=terms.vat,
                band_from=None if single else lower,
                band_to=None if single else upper,
            )
        )
    return lines


def vat_summary(lines: Iterable[BillLine]) -> tuple[VatSummaryLine, ...]:
    """VAT per rate (and per exemption): rate × the sum of its bases, rounded half-up once."""
    groups: dict[tuple[Decimal | None, str], list[BillLine]] = {}
    for line in lines:
        groups.setdefault((line.vat.rate, line.vat.exemption_code), []).append(line)
    summary = []
    for (rate, code), group in groups.items():
        base = sum((line.amount for line in group), ZERO)
        vat = round_money(base * rate / 100) if rate is not None else ZERO.quantize(Decimal("0.01"))
        summary.append(
            VatSummaryLine(
                rate=rate,
                exemption_code=code,
                exemption_reason=group[0].vat.exemption_reason,
                base=base,
                vat=vat,
            )
        )
    # Taxed rates first (highest first), then the exemptions by code: a stable order to print.
    summary.sort(key=lambda row: (row.rate is None, -(row.rate or 0), row.exemption_code))
    return tuple(summary)


def compute_bill(
    tariff: TariffData,
    *,
    water_volume: Decimal,
    days: int,
    tariff_type: str | None = None,
    household_size: int | None = None,
    calibre_mm: int | None = None,
) -> BillComputation:
    """The lines, VAT summary and totals of a period of ``days`` days (DOMAIN.md "Tariffs").

    ``water_volume`` is the m³ consumed in the period (Decimal, may have litres);
    ``tariff_type`` defaults to the tariff's own; ``household_size`` matters for família
    numerosa only; ``calibre_mm`` chooses the fixed part when it depends on the meter.
    """
    if days <= 0:
        raise TariffError("A billing period has at least one day.")
    if water_volume < 0:
        raise TariffError("Consumption cannot be negative (an acerto down is its own line).")
    kind = tariff_type or tariff.tariff_type
    social = kind == TariffType.SOCIAL
    extra = ZERO
    if kind == TariffType.LARGE_FAMILY and household_size:
        extra = LARGE_FAMILY_EXTRA_PER_PERSON * max(0, household_size - LARGE_FAMILY_FROM)
    water_volume = Decimal(water_volume)
    sanitation_volume = water_volume * tariff.sanitation_coefficient
    period = Decimal(days) / THIRTY

    lines: list[BillLine] = []
    for terms in sorted(tariff.services, key=lambda terms: SERVICE_ORDER[terms.service]):
        fixed = terms.fixed_price(calibre_mm)
        if fixed is not None and not (social and terms.service in SOCIAL_WAIVES_FIXED):
            lines.append(
                BillLine(
                    service=terms.service,
                    kind=LineKind.FIXED,
                    band=None,
                    quantity=period,
                    unit_price=fixed,
                    amount=round_money(fixed * days / THIRTY),
                    vat=terms.vat,
                )
            )
        volume = (
            sanitation_volume if terms.service in CHARGED_ON_SANITATION_VOLUME else water_volume
        )
        if terms.bands:
            lines.extend(
                _variable_lines(
                    terms,
                    volume,
                    days=days,
                    extra_per_30_days=extra,
                    social=social and terms.service == Service.WATER,
                )
            )
    summary = vat_summary(lines)
    net = sum((line.amount for line in lines), ZERO)
    vat_total = sum((row.vat for row in summary), ZERO)
    return BillComputation(
        tariff_type=kind,
        days=days,
        water_volume=water_volume,
        sanitation_volume=sanitation_volume,
        lines=tuple(lines),
        vat_summary=summary,
        net_total=round_money(net),
        vat_total=round_money(vat_total),
        gross_total=round_money(net + vat_total),
        household_size=household_size,
    )
