"""A contract's period bill: two tariffs in one month (pro rata by days), the product's
services, and the acerto lines. Hand-checked."""

import datetime
from decimal import Decimal as D

from balcao.billing.computation import (
    Band,
    FixedPrice,
    LineKind,
    Service,
    ServiceTerms,
    TariffData,
    VatTreatment,
    compute_bill,
)
from balcao.billing.period import TariffSpan, acerto_lines, for_product, period_bill

SIX = VatTreatment(rate=D("6"))


def water_tariff(price, valid_from):
    return TariffData(
        tariff_type="domestic",
        valid_from=valid_from,
        sanitation_coefficient=D("0.9"),
        services=(
            ServiceTerms(
                service=Service.WATER,
                vat=SIX,
                fixed=(FixedPrice(price=D("3.00")),),
                bands=(Band(up_to=None, price=D(price)),),
            ),
        ),
    )


def test_a_month_over_two_tariffs_is_billed_pro_rata_by_days():
    old = water_tariff("1.00", datetime.date(2025, 1, 1))
    new = water_tariff("2.00", datetime.date(2026, 10, 16))
    spans = [
        TariffSpan(old, datetime.date(2026, 10, 1), datetime.date(2026, 10, 15)),  # 15 days
        TariffSpan(new, datetime.date(2026, 10, 16), datetime.date(2026, 10, 31)),  # 16 days
    ]

    bill = period_bill(spans, water_volume=D("31"), tariff_type="domestic")

    # 31 m³ shared 15/31 and 16/31: 15 m³ at 1.00 and 16 m³ at 2.00; fixed 3.00 × 15/30
    # and × 16/30.
    assert [(line.kind, line.quantity, line.unit_price, line.amount) for line in bill.lines] == [
        (LineKind.FIXED, D("0.5"), D("3.00"), D("1.50")),
        (LineKind.VARIABLE, D("15.000"), D("1.00"), D("15.00")),
        (LineKind.FIXED, D(16) / D(30), D("3.00"), D("1.60")),
        (LineKind.VARIABLE, D("16.000"), D("2.00"), D("32.00")),
    ]
    assert bill.days == 31 and bill.water_volume == D("31")
    assert (bill.net_total, bill.vat_total, bill.gross_total) == (D("50.10"), D("3.01"), D("53.11"))


def test_water_only_is_not_charged_sanitation_or_waste(demo_tariff_data):
    water_only = for_product(demo_tariff_data, "water")
    services = {
        line.service for line in compute_bill(water_only, water_volume=D("10"), days=30).lines
    }
    assert services == {Service.WATER, Service.TRH_WATER}
    no_waste = for_product(demo_tariff_data, "water_sanitation")
    assert Service.WASTE not in {terms.service for terms in no_waste.services}
    assert for_product(demo_tariff_data, "water_sanitation_waste") is demo_tariff_data


def test_acerto_lines_net_the_differences_by_band(demo_tariff_data):
    def variable(volume, days):
        lines = compute_bill(demo_tariff_data, water_volume=D(volume), days=days).lines
        return [line for line in lines if line.kind == LineKind.VARIABLE]

    # billed 12 m³ on an estimate, the real was 4 m³ (30 days)
    lines = acerto_lines([(variable("12", 30), variable("4", 30))])

    water = [line for line in lines if line.service == Service.WATER]
    # 1.º band: 5 billed, 4 real → −1 m³ × 0.59; 2.º band: 7 billed, 0 real → −7 × 0.70
    assert [(line.band, line.quantity, line.amount) for line in water] == [
        (1, D("-1.000000"), D("-0.59")),
        (2, D("-7.000000"), D("-4.90")),
    ]
    assert all(line.kind == LineKind.ADJUSTMENT for line in lines)
    assert water[0].description() == (
        "Acerto de consumos estimados — Abastecimento de água — 1.º escalão"
    )
    # the same volume both ways: nothing
    assert acerto_lines([(variable("7", 31), variable("7", 31))]) == []
