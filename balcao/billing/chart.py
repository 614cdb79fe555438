"""The geometry of "Minhas faturas"' yearly chart (invoiced € by month), drawn as SVG by the
template, as readings' consumption chart is: no script, presentation attributes only."""

from dataclasses import dataclass
from decimal import Decimal

from balcao.billing.statements import MonthAmount

WIDTH = 640
HEIGHT = 260
LEFT = 56  # room for the scale in euros
BOTTOM = 28  # room for the month names
TOP = 16
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
SLOT = (WIDTH - LEFT) / 12
STEPS = (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000)


@dataclass(frozen=True)
class Bar:
    month: MonthAmount
    x: float
    y: float
    width: float
    height: float
    text_x: float


@dataclass(frozen=True)
class Tick:
    value: Decimal
    y: float


def _scale_top(largest: Decimal) -> Decimal:
    """A round top for four grid lines: 4 × the first step that holds the largest bar."""
    for step in STEPS:
        if largest <= step * 4:
            return Decimal(step * 4)
    return (largest / 10000).to_integral_value() * 10000 + 10000


def yearly_chart(months: list[MonthAmount]) -> dict:
    """Bars and scale for the 12 months given."""
    top = _scale_top(max((m.amount for m in months), default=Decimal(0)))
    bars = []
    for m in months:
        height = float(m.amount / top) * PLOT_HEIGHT
        x = LEFT + (m.month - 1) * SLOT + SLOT * 0.15
        bars.append(
            Bar(
                month=m,
                x=round(x, 1),
                y=round(TOP + PLOT_HEIGHT - height, 1),
                width=round(SLOT * 0.7, 1),
                height=round(height, 1),
                text_x=round(x + SLOT * 0.35, 1),
            )
        )
    ticks = [Tick(top * i / 4, round(TOP + PLOT_HEIGHT - PLOT_HEIGHT * i / 4, 1)) for i in range(5)]
    return {
        "bars": bars,
        "ticks": ticks,
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "axis_y": TOP + PLOT_HEIGHT,
        "label_y": HEIGHT - 8,
    }
