"""The estimate selector the billing run calls (DOMAIN.md "Meter readings"), on its own."""

import datetime
from decimal import Decimal

import pytest

from balcao.contracts.models import Contract
from balcao.contracts.tests.factories import ContractFactory, MeterFactory
from balcao.readings.consumption import ConsumptionCurve
from balcao.readings.models import Reading
from balcao.readings.selectors import consumption_for_period
from balcao.readings.services import replace_meter
from balcao.readings.tests.factories import ReadingFactory

D = datetime.date


@pytest.fixture
def installation(db):
    """Meter fitted on 01/01/2024 at 0 m³ (a leap year), no readings yet."""
    contract = ContractFactory(meter=None)
    MeterFactory(installation=contract.installation, installed_on=D(2024, 1, 1), initial_index=0)
    return contract.installation


def read(installation, day, index, **kwargs):
    return ReadingFactory(installation=installation, taken_on=day, index=index, **kwargs)


def test_no_history_uses_the_domestic_default(installation):
    result = consumption_for_period(installation, D(2024, 1, 2), D(2024, 1, 31))
    assert result.volume == Decimal("10.000")  # 10 m³ per 30 days, 30 days
    assert result.estimated and result.days == 30


def test_no_history_default_depends_on_the_tariff(installation):
    Contract.objects.filter(installation=installation).update(
        tariff_type=Contract.TariffType.NON_DOMESTIC
    )
    result = consumption_for_period(installation, D(2024, 1, 2), D(2024, 1, 31))
    assert result.volume == Decimal("30.000")


def test_default_is_a_setting(installation, settings):
    settings.READINGS_DEFAULT_M3_PER_30_DAYS = {"domestic": 6}
    result = consumption_for_period(installation, D(2024, 1, 2), D(2024, 1, 31))
    assert result.volume == Decimal("6.000")


def test_real_readings_on_the_period_bounds_are_exact(installation):
    read(installation, D(2024, 1, 31), 31)
    read(installation, D(2024, 2, 29), 60)
    result = consumption_for_period(installation, D(2024, 2, 1), D(2024, 2, 29))
    assert result.volume == Decimal("29.000") and not result.estimated
    assert result.days == 29  # leap February


def test_between_readings_the_volume_is_spread_evenly(installation):
    read(installation, D(2024, 1, 31), 31)
    read(installation, D(2024, 3, 31), 91)  # 60 m³ over 60 days
    result = consumption_for_period(installation, D(2024, 2, 1), D(2024, 2, 29))
    assert result.volume == Decimal("29.000") and not result.estimated
    march = consumption_for_period(installation, D(2024, 3, 1), D(2024, 3, 31))
    assert march.volume == Decimal("31.000")


def test_after_the_last_reading_it_is_the_average_of_the_last_two(installation):
    read(installation, D(2024, 1, 31), 31)
    read(installation, D(2024, 3, 1), 91)  # 60 m³ in 30 days: 2 m³ a day
    result = consumption_for_period(installation, D(2024, 3, 2), D(2024, 3, 31))
    assert result.volume == Decimal("60.000") and result.estimated
    april = consumption_for_period(installation, D(2024, 4, 1), D(2024, 4, 30))
    assert april.volume == Decimal("60.000") and april.estimated


def test_a_period_straddling_the_last_reading_is_estimated_in_part(installation):
    read(installation, D(2024, 1, 31), 31)
    read(installation, D(2024, 3, 1), 91)
    result = consumption_for_period(installation, D(2024, 2, 16), D(2024, 3, 16))
    # 15 days real (1 Feb - 1 Mar at 2 m³/day: 16 Feb..1 Mar = 15 days) + 15 estimated days.
    assert result.volume == Decimal("60.000") and result.estimated


def test_only_real_readings_that_count_are_used(installation):
    read(installation, D(2024, 1, 31), 31)
    read(installation, D(2024, 3, 1), 91)
    read(installation, D(2024, 3, 31), 500, origin=Reading.Origin.ESTIMATE)
    read(
        installation,
        D(2024, 3, 20),
        999,
        origin=Reading.Origin.CUSTOMER,
        status=Reading.Status.HISTORY,
        history_reason=Reading.HistoryReason.OUTSIDE_WINDOW,
    )
    result = consumption_for_period(installation, D(2024, 3, 2), D(2024, 3, 31))
    assert result.volume == Decimal("60.000")


def test_month_ends_of_every_length(installation):
    read(installation, D(2024, 1, 1), 0)
    read(installation, D(2025, 1, 1), 366)  # 1 m³ a day across 2024 (366 days)
    for month, days in [(2, 29), (4, 30), (12, 31)]:
        end = D(2024, month, days)
        result = consumption_for_period(installation, D(2024, month, 1), end)
        assert result.volume == Decimal(days), month
    # A reading is the index at the end of its day: the year after 01/01/2024 has 366 days.
    year = consumption_for_period(installation, D(2024, 1, 2), D(2025, 1, 1))
    assert year.volume == Decimal(366)


def test_consumption_across_a_meter_change(installation, travel):
    travel(2024, 6, 30)
    read(installation, D(2024, 3, 31), 91)
    replace_meter(
        installation=installation,
        removed_on=D(2024, 4, 15),
        final_index=106,
        new_serial="NEW-1",
        new_initial_index=5,
    )
    read(installation, D(2024, 4, 30), 20)  # new meter: 15 m³ since it was fitted
    result = consumption_for_period(installation, D(2024, 4, 1), D(2024, 4, 30))
    assert result.volume == Decimal("30.000") and not result.estimated
    # Estimating after the change: the last two real points are the fitting and 30/04.
    may = consumption_for_period(installation, D(2024, 5, 1), D(2024, 5, 31))
    assert may.volume == Decimal("31.000") and may.estimated


def test_meter_change_without_readings_on_the_new_meter(installation, travel):
    travel(2024, 6, 30)
    read(installation, D(2024, 3, 31), 91)
    replace_meter(
        installation=installation,
        removed_on=D(2024, 4, 30),
        final_index=121,
        new_serial="NEW-2",
        new_initial_index=0,
    )
    result = consumption_for_period(installation, D(2024, 4, 1), D(2024, 4, 30))
    assert result.volume == Decimal("30.000") and not result.estimated


def test_before_the_first_meter_nothing_was_consumed(installation):
    result = consumption_for_period(installation, D(2023, 12, 1), D(2023, 12, 31))
    assert result.volume == Decimal(0) and not result.estimated


def test_the_curve_refuses_a_period_that_ends_before_it_starts():
    curve = ConsumptionCurve([(D(2024, 1, 1), 0)], Decimal(1))
    with pytest.raises(ValueError):
        curve.volume_between(D(2024, 2, 1), D(2024, 1, 1))


def test_a_negative_trend_is_never_extrapolated():
    curve = ConsumptionCurve([(D(2024, 1, 1), 50), (D(2024, 1, 31), 40)], Decimal(1))
    volume, estimated = curve.volume_between(D(2024, 2, 1), D(2024, 2, 29))
    assert volume == 0 and estimated


def test_billing_stores_an_estimate_and_marks_it_used(installation):
    from balcao.readings.services import mark_used_in_invoice, record_estimate

    read(installation, D(2024, 1, 31), 31)
    read(installation, D(2024, 3, 1), 91)  # 2 m³ a day
    estimate = record_estimate(installation=installation, taken_on=D(2024, 3, 31))
    assert estimate.origin == Reading.Origin.ESTIMATE and estimate.index == 151
    assert estimate.status == Reading.Status.BILLABLE and estimate.receipt_number is None
    assert estimate.status_label == "Estimativa"  # never "Validada para faturação"
    mark_used_in_invoice(reading=estimate, invoice_number="FT 2024A/12")
    estimate.refresh_from_db()
    assert estimate.status_label == "Estimativa usada na fatura FT 2024A/12"
    assert [e.kind for e in estimate.events.all()] == ["received", "billable", "invoiced"]
    # The estimate is not a real reading: consumption still comes from real ones.
    assert consumption_for_period(installation, D(2024, 3, 2), D(2024, 3, 31)).estimated


def test_an_invoiced_reading_cannot_go_back(installation):
    from balcao.core.transitions import TransitionNotAllowed
    from balcao.readings.services import mark_used_in_invoice

    reading = read(installation, D(2024, 1, 31), 31)
    mark_used_in_invoice(reading=reading, invoice_number="FT 2024A/1")
    with pytest.raises(TransitionNotAllowed):
        mark_used_in_invoice(reading=reading, invoice_number="FT 2024A/2")


def test_an_estimate_of_a_day_before_the_latest_reading_lies_between_its_neighbours(
    installation,
):
    """A month billed after the next reading came in (October billed once the reading of
    November's window is in): the estimate of its last day interpolates the real readings
    around it, never rising to the later one (that gave the history negative consumption)."""
    from balcao.readings.services import record_estimate

    read(installation, D(2024, 1, 31), 31)
    read(installation, D(2024, 3, 1), 91)  # 2 m³ a day
    read(installation, D(2024, 4, 30), 211)  # 2 m³ a day
    estimate = record_estimate(installation=installation, taken_on=D(2024, 3, 31))
    assert estimate.index == 151  # 91 + 30 days × 2 m³, below the 211 of 30 April
