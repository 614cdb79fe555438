"""The bill of a period with DOMAIN.md's demo tariff, checked by hand to the cent.

Demo tariff (per 30 days): água fixed 3.50, bands 0–5 0.59, >5–15 0.70, >15–25 1.50,
>25 2.75; saneamento fixed 3.75, coefficient 0.90, bands 0.557 / 0.67 / 1.10 / 2.20 on the
same limits; resíduos fixed 2.87, 0.36 flat on the water volume; TRH água 0.03 on the water
volume, TRH saneamento 0.02 on the sanitation volume. 6 % VAT on água and TRH água; the
rest not subject (M99). Every expected number below is worked out in the comments,
never by calling the function under test.
"""

from decimal import Decimal as D

import pytest

from balcao.billing.computation import (
    Band,
    FixedPrice,
    LineKind,
    Service,
    ServiceTerms,
    TariffError,
    VatTreatment,
    compute_bill,
)


def amounts(bill, service):
    return [str(line.amount) for line in bill.lines_for(service)]


def summary(bill):
    return [(row.rate, row.exemption_code, str(row.base), str(row.vat)) for row in bill.vat_summary]


def totals(bill):
    return str(bill.net_total), str(bill.vat_total), str(bill.gross_total)


def test_10_m3_in_30_days(demo_tariff_data):
    bill = compute_bill(demo_tariff_data, water_volume=D("10"), days=30)
    # água: fixed 3.50; 1.º 5 × 0.59 = 2.95; 2.º 5 × 0.70 = 3.50
    assert amounts(bill, Service.WATER) == ["3.50", "2.95", "3.50"]
    # saneamento on 10 × 0.90 = 9 m³: fixed 3.75; 1.º 5 × 0.557 = 2.785 → 2.79 (half-up,
    # where round-half-even would say 2.78); 2.º 4 × 0.67 = 2.68
    assert amounts(bill, Service.SANITATION) == ["3.75", "2.79", "2.68"]
    # resíduos: fixed 2.87; 10 × 0.36 = 3.60
    assert amounts(bill, Service.WASTE) == ["2.87", "3.60"]
    # TRH: 10 × 0.03 = 0.30; 9 × 0.02 = 0.18
    assert amounts(bill, Service.TRH_WATER) == ["0.30"]
    assert amounts(bill, Service.TRH_SANITATION) == ["0.18"]
    # 6 %: 3.50 + 2.95 + 3.50 + 0.30 = 10.25; VAT 0.615 → 0.62
    # M99: 3.75 + 2.79 + 2.68 + 2.87 + 3.60 + 0.18 = 15.87
    assert summary(bill) == [
        (D("6"), "", "10.25", "0.62"),
        (None, "M99", "15.87", "0.00"),
    ]
    # net 10.25 + 15.87 = 26.12; total 26.12 + 0.62 = 26.74
    assert totals(bill) == ("26.12", "0.62", "26.74")
    assert bill.sanitation_volume == D("9")


def test_lines_carry_band_quantity_price_and_vat(demo_tariff_data):
    bill = compute_bill(demo_tariff_data, water_volume=D("10"), days=30)
    fixed, first, second = bill.lines_for(Service.WATER)
    assert (fixed.kind, fixed.band, fixed.quantity, fixed.unit_price) == (
        LineKind.FIXED, None, D("1"), D("3.5000"),
    )  # fmt: skip
    assert (first.band, first.quantity, first.unit_price) == (1, D("5"), D("0.5900"))
    assert (second.band, second.quantity, second.band_from, second.band_to) == (
        2,
        D("5"),
        D("5"),
        D("15"),
    )
    assert first.vat_rate == D("6") and first.exemption_code == ""
    sanitation = bill.lines_for(Service.SANITATION)[1]
    assert sanitation.vat_rate is None and sanitation.exemption_code == "M99"
    assert "25031" in sanitation.exemption_reason


def test_zero_consumption_pays_the_fixed_parts_only(demo_tariff_data):
    bill = compute_bill(demo_tariff_data, water_volume=D("0"), days=30)
    # no variable line at all: 3.50 (6 %), 3.75 and 2.87 (M99)
    assert [line.kind for line in bill.lines] == [LineKind.FIXED] * 3
    # VAT 3.50 × 6 % = 0.21; M99 3.75 + 2.87 = 6.62; net 10.12; total 10.33
    assert summary(bill) == [(D("6"), "", "3.50", "0.21"), (None, "M99", "6.62", "0.00")]
    assert totals(bill) == ("10.12", "0.21", "10.33")


def test_5_m3_fills_the_first_band_exactly(demo_tariff_data):
    bill = compute_bill(demo_tariff_data, water_volume=D("5"), days=30)
    # água: 3.50; 1.º 5 × 0.59 = 2.95; nothing in the 2.º band (no empty line)
    assert amounts(bill, Service.WATER) == ["3.50", "2.95"]
    # saneamento 4.5 m³: 3.75; 4.5 × 0.557 = 2.5065 → 2.51
    assert amounts(bill, Service.SANITATION) == ["3.75", "2.51"]
    # resíduos 2.87 + 5 × 0.36 = 1.80; TRH 0.15 and 4.5 × 0.02 = 0.09
    assert amounts(bill, Service.WASTE) == ["2.87", "1.80"]
    assert amounts(bill, Service.TRH_SANITATION) == ["0.09"]
    # 6 %: 3.50 + 2.95 + 0.15 = 6.60 → 0.396 → 0.40; M99: 3.75 + 2.51 + 2.87 + 1.80 + 0.09
    # = 11.02; net 17.62; total 18.02
    assert summary(bill) == [(D("6"), "", "6.60", "0.40"), (None, "M99", "11.02", "0.00")]
    assert totals(bill) == ("17.62", "0.40", "18.02")


def test_15_m3_fills_the_second_band_exactly(demo_tariff_data):
    bill = compute_bill(demo_tariff_data, water_volume=D("15"), days=30)
    # água: 3.50; 2.95; 10 × 0.70 = 7.00
    assert amounts(bill, Service.WATER) == ["3.50", "2.95", "7.00"]
    # saneamento 13.5 m³: 3.75; 2.785 → 2.79; 8.5 × 0.67 = 5.695 → 5.70
    assert amounts(bill, Service.SANITATION) == ["3.75", "2.79", "5.70"]
    # resíduos 2.87; 15 × 0.36 = 5.40; TRH 0.45; 13.5 × 0.02 = 0.27
    # 6 %: 3.50 + 2.95 + 7.00 + 0.45 = 13.90 → 0.834 → 0.83
    # M99: 3.75 + 2.79 + 5.70 + 2.87 + 5.40 + 0.27 = 20.78; net 34.68; total 35.51
    assert summary(bill) == [(D("6"), "", "13.90", "0.83"), (None, "M99", "20.78", "0.00")]
    assert totals(bill) == ("34.68", "0.83", "35.51")


def test_25_m3_fills_the_third_band_exactly(demo_tariff_data):
    bill = compute_bill(demo_tariff_data, water_volume=D("25"), days=30)
    # água: 3.50; 2.95; 7.00; 10 × 1.50 = 15.00
    assert amounts(bill, Service.WATER) == ["3.50", "2.95", "7.00", "15.00"]
    # saneamento 22.5 m³: 3.75; 2.79; 10 × 0.67 = 6.70; 7.5 × 1.10 = 8.25
    assert amounts(bill, Service.SANITATION) == ["3.75", "2.79", "6.70", "8.25"]
    # resíduos 2.87 + 9.00; TRH 0.75 and 22.5 × 0.02 = 0.45
    # 6 %: 3.50 + 2.95 + 7.00 + 15.00 + 0.75 = 29.20 → 1.752 → 1.75
    # M99: 3.75 + 2.79 + 6.70 + 8.25 + 2.87 + 9.00 + 0.45 = 33.81; net 63.01; total 64.76
    assert summary(bill) == [(D("6"), "", "29.20", "1.75"), (None, "M99", "33.81", "0.00")]
    assert totals(bill) == ("63.01", "1.75", "64.76")


def test_30_m3_reaches_the_fourth_band(demo_tariff_data):
    bill = compute_bill(demo_tariff_data, water_volume=D("30"), days=30)
    # água 4.º: 5 × 2.75 = 13.75
    assert amounts(bill, Service.WATER) == ["3.50", "2.95", "7.00", "15.00", "13.75"]
    # saneamento 27 m³: 3.º 10 × 1.10 = 11.00; 4.º 2 × 2.20 = 4.40
    assert amounts(bill, Service.SANITATION) == ["3.75", "2.79", "6.70", "11.00", "4.40"]
    # 6 %: 42.20 + TRH 0.90 = 43.10 → 2.586 → 2.59
    # M99: 3.75 + 2.79 + 6.70 + 11.00 + 4.40 + 2.87 + 10.80 + 0.54 = 42.85
    # net 85.95; total 88.54
    assert summary(bill) == [(D("6"), "", "43.10", "2.59"), (None, "M99", "42.85", "0.00")]
    assert totals(bill) == ("85.95", "2.59", "88.54")


def test_31_days_scale_the_fixed_parts_and_the_band_limits(demo_tariff_data):
    bill = compute_bill(demo_tariff_data, water_volume=D("10"), days=31)
    # água fixed 3.50 × 31/30 = 3.61666… → 3.62; 1.º band up to 5 × 31/30 = 5.1666… (exact):
    # 5.1666… × 0.59 = 3.04833… → 3.05; 2.º (10 − 5.1666…) = 4.8333… × 0.70 = 3.38333… → 3.38
    assert amounts(bill, Service.WATER) == ["3.62", "3.05", "3.38"]
    # saneamento fixed 3.75 × 31/30 = 3.875 → 3.88; 9 m³: 5.1666… × 0.557 = 2.87783… → 2.88;
    # 3.8333… × 0.67 = 2.56833… → 2.57
    assert amounts(bill, Service.SANITATION) == ["3.88", "2.88", "2.57"]
    # resíduos fixed 2.87 × 31/30 = 2.96566… → 2.97; 3.60
    assert amounts(bill, Service.WASTE) == ["2.97", "3.60"]
    # 6 %: 3.62 + 3.05 + 3.38 + 0.30 = 10.35 → 0.621 → 0.62
    # M99: 3.88 + 2.88 + 2.57 + 2.97 + 3.60 + 0.18 = 16.08; net 26.43; total 27.05
    assert summary(bill) == [(D("6"), "", "10.35", "0.62"), (None, "M99", "16.08", "0.00")]
    assert totals(bill) == ("26.43", "0.62", "27.05")
    first = bill.lines_for(Service.WATER)[1]
    assert first.quantity == D(5) * 31 / 30  # exact, not rounded to litres


def test_31_days_move_the_band_edge(demo_tariff_data):
    # 5.5 m³ in 31 days: the 1.º band holds 5.1666… m³ (3.05, as above), the 2.º the rest:
    # 0.3333… × 0.70 = 0.23333… → 0.23
    bill = compute_bill(demo_tariff_data, water_volume=D("5.5"), days=31)
    assert amounts(bill, Service.WATER) == ["3.62", "3.05", "0.23"]
    # and 5 m³ in 31 days stay in the 1.º band: 5 × 0.59 = 2.95
    bill = compute_bill(demo_tariff_data, water_volume=D("5"), days=31)
    assert amounts(bill, Service.WATER) == ["3.62", "2.95"]


def test_28_days_shrink_the_bands(demo_tariff_data):
    # 1.º band up to 5 × 28/30 = 4.6666…: 4.6666… × 0.59 = 2.75333… → 2.75; the 2.º band
    # holds 5 − 4.6666… = 0.3333… × 0.70 = 0.2333… → 0.23; fixed 3.50 × 28/30 = 3.2666… → 3.27
    bill = compute_bill(demo_tariff_data, water_volume=D("5"), days=28)
    assert amounts(bill, Service.WATER) == ["3.27", "2.75", "0.23"]


def test_social_tariff_waives_fixed_water_and_sanitation(demo_tariff_data):
    bill = compute_bill(demo_tariff_data, water_volume=D("10"), days=30, tariff_type="social")
    # água: no fixed part; 10 m³ all at the 1.º band price (up to 15): 10 × 0.59 = 5.90
    assert amounts(bill, Service.WATER) == ["5.90"]
    # saneamento: no fixed part; its own bands: 2.785 → 2.79 and 4 × 0.67 = 2.68
    assert amounts(bill, Service.SANITATION) == ["2.79", "2.68"]
    # resíduos keeps its fixed part: 2.87 + 3.60
    assert amounts(bill, Service.WASTE) == ["2.87", "3.60"]
    # 6 %: 5.90 + 0.30 = 6.20 → 0.372 → 0.37; M99: 2.79 + 2.68 + 2.87 + 3.60 + 0.18 = 12.12
    # net 18.32; total 18.69
    assert summary(bill) == [(D("6"), "", "6.20", "0.37"), (None, "M99", "12.12", "0.00")]
    assert totals(bill) == ("18.32", "0.37", "18.69")


def test_social_tariff_above_15_m3_resumes_the_normal_bands(demo_tariff_data):
    bill = compute_bill(demo_tariff_data, water_volume=D("20"), days=30, tariff_type="social")
    # água: 15 × 0.59 = 8.85 (1.º band to 15); then the 3.º band: 5 × 1.50 = 7.50
    water = bill.lines_for(Service.WATER)
    assert [(line.band, str(line.amount)) for line in water] == [(1, "8.85"), (3, "7.50")]
    # saneamento 18 m³, normal bands: 2.79; 10 × 0.67 = 6.70; 3 × 1.10 = 3.30
    assert amounts(bill, Service.SANITATION) == ["2.79", "6.70", "3.30"]
    # 6 %: 8.85 + 7.50 + 0.60 = 16.95 → 1.017 → 1.02
    # M99: 2.79 + 6.70 + 3.30 + 2.87 + 7.20 + 0.36 = 23.22; net 40.17; total 41.19
    assert totals(bill) == ("40.17", "1.02", "41.19")


def test_social_tariff_first_band_scales_with_the_days(demo_tariff_data):
    # 31 days: 15 × 31/30 = 15.5 m³ at 0.59; 16 m³: 15.5 × 0.59 = 9.145 → 9.15;
    # 0.5 × 1.50 = 0.75
    bill = compute_bill(demo_tariff_data, water_volume=D("16"), days=31, tariff_type="social")
    assert amounts(bill, Service.WATER) == ["9.15", "0.75"]


def test_large_family_widens_every_band_by_3_m3_per_person_beyond_4(demo_tariff_data):
    bill = compute_bill(
        demo_tariff_data, water_volume=D("20"), days=30, tariff_type="large_family",
        household_size=6,
    )  # fmt: skip
    # 6 persons: 2 beyond 4 → + 6 m³: limits 11 / 21 / 31
    # água: 3.50; 11 × 0.59 = 6.49; 9 × 0.70 = 6.30
    assert amounts(bill, Service.WATER) == ["3.50", "6.49", "6.30"]
    # saneamento 18 m³ on the same limits: 3.75; 11 × 0.557 = 6.127 → 6.13; 7 × 0.67 = 4.69
    assert amounts(bill, Service.SANITATION) == ["3.75", "6.13", "4.69"]
    # 6 %: 3.50 + 6.49 + 6.30 + 0.60 = 16.89 → 1.0134 → 1.01
    # M99: 3.75 + 6.13 + 4.69 + 2.87 + 7.20 + 0.36 = 25.00; net 41.89; total 42.90
    assert summary(bill) == [(D("6"), "", "16.89", "1.01"), (None, "M99", "25.00", "0.00")]
    assert totals(bill) == ("41.89", "1.01", "42.90")


@pytest.mark.parametrize(
    ("household", "expected"),
    [
        # up to 4 persons: the domestic bands (5 × 0.59 = 2.95; 5 × 0.70 = 3.50; for 10 m³)
        (None, ["3.50", "2.95", "3.50"]),
        (4, ["3.50", "2.95", "3.50"]),
        # 5 persons: + 3 m³ → 1.º up to 8: 8 × 0.59 = 4.72; 2 × 0.70 = 1.40
        (5, ["3.50", "4.72", "1.40"]),
    ],
)
def test_large_family_counts_persons_beyond_4(demo_tariff_data, household, expected):
    bill = compute_bill(
        demo_tariff_data, water_volume=D("10"), days=30, tariff_type="large_family",
        household_size=household,
    )  # fmt: skip
    assert amounts(bill, Service.WATER) == expected


def test_non_domestic_flat_prices(non_domestic_tariff_data):
    bill = compute_bill(non_domestic_tariff_data, water_volume=D("40"), days=30)
    # água: fixed 5.75; 40 × 1.50 = 60.00 (one flat price: no band number)
    water = bill.lines_for(Service.WATER)
    assert amounts(bill, Service.WATER) == ["5.75", "60.00"]
    assert water[1].band is None
    # saneamento: fixed 5.90; 40 × 0.90 = 36 m³ × 1.10 = 39.60
    assert amounts(bill, Service.SANITATION) == ["5.90", "39.60"]
    # resíduos: 3.75; 40 × 0.36 = 14.40; TRH 1.20 and 36 × 0.02 = 0.72
    # 6 %: 5.75 + 60.00 + 1.20 = 66.95 → 4.017 → 4.02
    # M99: 5.90 + 39.60 + 3.75 + 14.40 + 0.72 = 64.37; net 131.32; total 135.34
    assert summary(bill) == [(D("6"), "", "66.95", "4.02"), (None, "M99", "64.37", "0.00")]
    assert totals(bill) == ("131.32", "4.02", "135.34")


def test_non_domestic_31_days(non_domestic_tariff_data):
    bill = compute_bill(non_domestic_tariff_data, water_volume=D("7"), days=31)
    # fixed: 5.75 × 31/30 = 5.94166… → 5.94; 5.90 × 31/30 = 6.09666… → 6.10;
    # 3.75 × 31/30 = 3.875 → 3.88
    # variable: 7 × 1.50 = 10.50; 6.3 × 1.10 = 6.93; 7 × 0.36 = 2.52;
    # TRH 0.21 and 6.3 × 0.02 = 0.126 → 0.13
    assert amounts(bill, Service.WATER) == ["5.94", "10.50"]
    assert amounts(bill, Service.SANITATION) == ["6.10", "6.93"]
    assert amounts(bill, Service.WASTE) == ["3.88", "2.52"]
    assert amounts(bill, Service.TRH_SANITATION) == ["0.13"]
    # 6 %: 5.94 + 10.50 + 0.21 = 16.65 → 0.999 → 1.00
    # M99: 6.10 + 6.93 + 3.88 + 2.52 + 0.13 = 19.56; net 36.21; total 37.21
    assert totals(bill) == ("36.21", "1.00", "37.21")


def test_fixed_part_by_meter_calibre(non_domestic_tariff_data):
    water = ServiceTerms(
        service=Service.WATER,
        vat=VatTreatment(rate=D("6")),
        fixed=(FixedPrice(D("11.50"), 40), FixedPrice(D("5.75"), 25), FixedPrice(D("30"))),
        bands=(Band(None, D("1.5")),),
    )
    assert water.fixed_price(15) == D("5.75")
    assert water.fixed_price(25) == D("5.75")
    assert water.fixed_price(30) == D("11.50")
    assert water.fixed_price(80) == D("30")  # the row without a calibre covers the rest
    strict = ServiceTerms(
        service=Service.WATER, vat=VatTreatment(rate=D("6")), fixed=(FixedPrice(D("5"), 25),)
    )
    with pytest.raises(TariffError):
        strict.fixed_price(40)


def test_vat_is_rounded_once_per_rate_not_per_line():
    # Two 6 % lines of 0.25 each: per line 0.015 → 0.02 + 0.02 = 0.04; per rate
    # (0.25 + 0.25) × 6 % = 0.03. DOMAIN.md: per rate, once.
    from datetime import date

    from balcao.billing.computation import TariffData

    tariff = TariffData(
        tariff_type="domestic",
        valid_from=date(2025, 1, 1),
        sanitation_coefficient=D("0.9"),
        services=(
            ServiceTerms(Service.WATER, VatTreatment(rate=D("6")), (FixedPrice(D("0.25")),)),
            ServiceTerms(Service.TRH_WATER, VatTreatment(rate=D("6")), (FixedPrice(D("0.25")),)),
        ),
    )
    bill = compute_bill(tariff, water_volume=D("0"), days=30)
    assert totals(bill) == ("0.50", "0.03", "0.53")


def test_a_negative_volume_or_no_days_is_refused(demo_tariff_data):
    with pytest.raises(TariffError):
        compute_bill(demo_tariff_data, water_volume=D("-1"), days=30)
    with pytest.raises(TariffError):
        compute_bill(demo_tariff_data, water_volume=D("1"), days=0)


def test_litres_are_billed(demo_tariff_data):
    # 3.456 m³: 3.456 × 0.59 = 2.03904 → 2.04; saneamento 3.1104 × 0.557 = 1.7324928 → 1.73
    bill = compute_bill(demo_tariff_data, water_volume=D("3.456"), days=30)
    assert amounts(bill, Service.WATER) == ["3.50", "2.04"]
    assert amounts(bill, Service.SANITATION) == ["3.75", "1.73"]
