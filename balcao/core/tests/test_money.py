from decimal import Decimal

import pytest

from balcao.core.money import format_euros, round_money


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("-0.005", "-0.01"), ("10", "10.00")],
)
def test_rounding_is_half_up_to_the_cent(amount, rounded):
    assert round_money(Decimal(amount)) == Decimal(rounded)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("26.74", "26,74 €"),
        ("1234.5", "1 234,50 €"),
        ("0", "0,00 €"),
        ("-3.1", "-3,10 €"),
        ("1234567.891", "1 234 567,89 €"),
    ],
)
def test_euros_in_portuguese_format(amount, text):
    assert format_euros(Decimal(amount)) == text
