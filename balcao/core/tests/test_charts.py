"""The twelve-month bar chart shared by consumption and invoices."""

from dataclasses import dataclass
from decimal import Decimal as D

from balcao.core.charts import PLOT_HEIGHT, TOP, monthly_bars, scale_top


@dataclass
class Row:
    month: int
    value: D


def test_the_scale_is_four_round_steps_above_the_largest_bar():
    assert scale_top(D(0)) == 20
    assert scale_top(D("26.74")) == 40
    assert scale_top(D(81)) == 100
    assert scale_top(D(45000)) == 46000


def test_a_bar_as_tall_as_the_scale_fills_the_plot_and_months_keep_their_slots():
    chart = monthly_bars([Row(1, D(20)), Row(12, D(5))], value=lambda r: r.value, left=48)

    january, december = chart["bars"]
    assert (january.y, january.height) == (TOP, PLOT_HEIGHT)
    assert december.height == PLOT_HEIGHT / 4
    assert january.label == "Jan" and december.label == "Dez"
    assert january.x < december.x
    assert [t.value for t in chart["ticks"]] == [0, 5, 10, 15, 20]
