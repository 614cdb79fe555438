"""The checks of a customer reading (DOMAIN.md "Meter readings"), as pure cases."""

import datetime

import pytest

from balcao.contracts.tests.factories import ContractFactory, MeterFactory
from balcao.readings.selectors import assess_reading
from balcao.readings.tests.factories import ReadingFactory

D = datetime.date
RANGE = "Leitura fora dos valores esperados"
DATES = "Leitura submetida fora das datas esperadas"


@pytest.fixture
def installation(db):
    """Fitted 01/01/2026 at 0; read 31/01 (30 m³) and 02/03 (60 m³): 1 m³ a day."""
    contract = ContractFactory(meter=None)
    MeterFactory(installation=contract.installation, installed_on=D(2026, 1, 1), initial_index=0)
    ReadingFactory(installation=contract.installation, taken_on=D(2026, 1, 31), index=30)
    ReadingFactory(installation=contract.installation, taken_on=D(2026, 3, 2), index=60)
    return contract.installation


@pytest.mark.parametrize(
    ("index", "day", "warnings"),
    [
        (90, D(2026, 4, 1), [DATES]),  # expected 30: fine, but day 01 is outside 02-08
        (93, D(2026, 4, 4), []),  # expected 33
        (70, D(2026, 4, 4), []),  # 10 of 33 expected: not below 0.3× (9.9)
        (69, D(2026, 4, 4), [RANGE]),  # 9: below 0.3×
        (159, D(2026, 4, 4), []),  # 99 = 3×: not above
        (160, D(2026, 4, 4), [RANGE]),
        (300, D(2026, 4, 20), [RANGE, DATES]),  # both, in the manual's order
    ],
)
def test_expected_values_and_window(installation, index, day, warnings):
    outcome = assess_reading(installation, index, day)
    assert outcome.refusal is None
    assert outcome.warnings == warnings


def test_lower_than_last_valid_index_is_refused(installation):
    outcome = assess_reading(installation, 59, D(2026, 4, 4))
    assert "inferior à última leitura válida (60 m³ em 02/03/2026)" in outcome.refusal
    assert assess_reading(installation, 60, D(2026, 4, 4)).refusal is None


def test_largest_month_on_record_is_its_own_guard(installation, settings):
    settings.READINGS_WARN_ABOVE_EXPECTED = "10"  # a utility trusting its estimates less
    # 150 m³ in 33 days: 136 per 30 days, above 3× the largest month (30).
    outcome = assess_reading(installation, 210, D(2026, 4, 4))
    assert outcome.warnings == [RANGE]
    settings.READINGS_WARN_ABOVE_LARGEST_MONTH = "5"
    assert assess_reading(installation, 210, D(2026, 4, 4)).warnings == []


def test_without_history_the_default_is_expected(db):
    contract = ContractFactory(meter=None)
    MeterFactory(installation=contract.installation, installed_on=D(2026, 3, 5), initial_index=7)
    # 30 days at the domestic default of 10 m³ per 30 days.
    assert assess_reading(contract.installation, 17, D(2026, 4, 4)).warnings == []
    assert assess_reading(contract.installation, 60, D(2026, 4, 4)).warnings == [RANGE]
    refused = assess_reading(contract.installation, 6, D(2026, 4, 4)).refusal
    assert "inferior ao índice inicial do contador (7 m³)" in refused


def test_after_a_meter_change_the_new_meter_is_checked(installation, travel):
    from balcao.readings.services import replace_meter

    travel(2026, 3, 20)
    replace_meter(
        installation=installation,
        removed_on=D(2026, 3, 12),
        final_index=70,
        new_serial="SN-X",
        new_initial_index=2,
    )
    outcome = assess_reading(installation, 25, D(2026, 4, 4))  # 23 m³ in 23 days
    assert outcome.refusal is None and outcome.warnings == []
    assert (
        "índice inicial do contador (2 m³)"
        in assess_reading(installation, 1, D(2026, 4, 4)).refusal
    )
