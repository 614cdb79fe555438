"""The geometry of the monthly consumption chart, drawn as SVG by the template."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.dates import MONTHS_3

WIDTH = 640
HEIGHT = 260
LEFT = 48  # room for the scale
BOTTOM = 28  # room for month names
TOP = 16
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
SLOT = (WIDTH - LEFT) / 12


@dataclass(frozen=True)
class Bar:
    month: object  # MonthConsumption
    label: str
    x: float
    y: float
    width: float
    height: float
    text_x: float


@dataclass(frozen=True)
class Tick:
    value: Decimal
    y: float


def _nice_top(largest: Decimal) -> Decimal:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if largest <= step * 4:
            return Decimal(step * 4)
    return (largest / 1000).to_integral_value() * 1000 + 1000


def monthly_chart(months) -> dict:
    """Bars and scale for the months given (MonthConsumption rows)."""
    largest = max((m.volume for m in months), default=Decimal(0))
    top = _nice_top(largest)
    bars = []
    for m in months:
        height = float(m.volume / top) * PLOT_HEIGHT if top else 0.0
        x = LEFT + (m.month - 1) * SLOT + SLOT * 0.15
        bars.append(
            Bar(
                month=m,
                label=str(MONTHS_3[m.month]).capitalize(),
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
