"""A contract's bill for one period, built from the pure computation: the services of its
product, a period over two tariffs, and the acerto of earlier estimates. Pure, no database.

Decisions (docs/billing.md "The billing run"):

- **A period over two tariffs** is billed pro rata by days: each tariff bills its own days
  (fixed parts and band limits × its days / 30) on the volume × its days / the period's
  days (the last part takes the rest, so the parts add up to the litre). The lines of both
  tariffs are kept, each at its own price.
- **The acerto** of an estimated period whose real consumption is now known is, line by
  line, what the real volume costs with that period's tariff(s) minus what the estimate
  billed (its stored variable lines): per service and band a signed volume and the
  difference of the rounded amounts, summed over the periods corrected. Fixed parts do not
  change (same days). The lines say "Acerto de consumos estimados"; VAT follows each
  service's treatment, on the signed base.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from balcao.billing.computation import (
    SERVICE_ORDER,
    BillComputation,
    BillLine,
    LineKind,
    Service,
    TariffData,
    compute_bill,
    vat_summary,
)
from balcao.contracts.models import Contract
from balcao.core.money import round_money

ZERO = Decimal("0")
QUANTITY = Decimal("0.000001")

# The services each product bills (the contract's plan): water only has no sanitation.
PRODUCT_SERVICES = {
    Contract.Product.WATER: frozenset({Service.WATER, Service.TRH_WATER}),
    Contract.Product.WATER_SANITATION: frozenset(
        {Service.WATER, Service.TRH_WATER, Service.SANITATION, Service.TRH_SANITATION}
    ),
    Contract.Product.WATER_SANITATION_WASTE: frozenset(Service),
}


def for_product(tariff: TariffData, product: str) -> TariffData:
    """The tariff without the services the contract's product does not include."""
    wanted = PRODUCT_SERVICES.get(product, frozenset(Service))  # type: ignore[call-overload]
    kept = tuple(terms for terms in tariff.services if terms.service in wanted)
    return tariff if len(kept) == len(tariff.services) else replace(tariff, services=kept)


@dataclass(frozen=True)
class TariffSpan:
    """The days of a period billed by one tariff."""

    tariff: TariffData
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def combine(
    parts: Sequence[BillComputation],
    *,
    extra: Sequence[BillLine] = (),
    days: int,
    water_volume: Decimal,
) -> BillComputation:
    """One bill from several computations (a period over two tariffs) and extra lines (the
    acerto): lines in service order, VAT per rate over all of them, totals recomputed."""
    lines = sorted(
        [line for part in parts for line in part.lines] + list(extra),
        key=lambda line: (SERVICE_ORDER[Service(line.service)], line.kind == LineKind.ADJUSTMENT),
    )
    summary = vat_summary(lines)
    net = sum((line.amount for line in lines), ZERO)
    vat_total = sum((row.vat for row in summary), ZERO)
    first = parts[0]
    return BillComputation(
        tariff_type=first.tariff_type,
        days=days,
        water_volume=water_volume,
        sanitation_volume=sum((part.sanitation_volume for part in parts), ZERO),
        lines=tuple(lines),
        vat_summary=summary,
        net_total=round_money(net),
        vat_total=round_money(vat_total),
        gross_total=round_money(net + vat_total),
        household_size=first.household_size,
    )


def period_bill(
    spans: Sequence[TariffSpan],
    *,
    water_volume: Decimal,
    tariff_type: str,
    household_size: int | None = None,
    calibre_mm: int | None = None,
    extra: Sequence[BillLine] = (),
) -> BillComputation:
    """The bill of a period covered by ``spans`` (one per tariff in force, in order), with
    the volume shared pro rata by days, plus ``extra`` lines (the acerto)."""
    if not spans:
        raise ValueError("A period needs a tariff.")
    days = sum(span.days for span in spans)
    parts = []
    left = water_volume
    for number, span in enumerate(spans, start=1):
        volume = left if number == len(spans) else water_volume * span.days / days
        if number < len(spans):
            volume = volume.quantize(Decimal("0.001"))
        left -= volume
        parts.append(
            compute_bill(
                span.tariff,
                water_volume=volume,
                days=span.days,
                tariff_type=tariff_type,
                household_size=household_size,
                calibre_mm=calibre_mm,
            )
        )
    if len(parts) == 1 and not extra:
        return parts[0]
    return combine(parts, extra=extra, days=days, water_volume=water_volume)


def acerto_lines(
    corrections: Iterable[tuple[Sequence[BillLine], Sequence[BillLine]]],
) -> list[BillLine]:
    """The acerto of corrected periods: for each (what the estimate billed, what the real
    volume costs) the variable lines' differences, summed per service, band and price.
    Lines that net to nothing are left out."""
    totals: dict[tuple, list] = {}
    for billed, real in corrections:
        for sign, lines in ((1, real), (-1, billed)):
            for line in lines:
                if line.kind != LineKind.VARIABLE:
                    continue
                key = (
                    line.service,
                    line.band,
                    line.unit_price,
                    line.vat.rate,
                    line.vat.exemption_code,
                )
                row = totals.setdefault(key, [ZERO, ZERO, line])
                # as the invoice keeps it (6 decimals), so that equal volumes cancel out
                row[0] += sign * line.quantity.quantize(QUANTITY)
                row[1] += sign * line.amount
    result = [
        BillLine(
            service=line.service,
            kind=LineKind.ADJUSTMENT,
            band=line.band,
            quantity=quantity,
            unit_price=line.unit_price,
            amount=amount,
            vat=line.vat,
        )
        for quantity, amount, line in totals.values()
        if quantity or amount
    ]
    result.sort(key=lambda line: (SERVICE_ORDER[Service(line.service)], line.band or 0))
    return result
