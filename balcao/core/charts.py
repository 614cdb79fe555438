"""The geometry of a bar chart of the twelve months of a year, drawn as SVG by a template
(STYLE.md: charts drawn on the server, with their numbers in a table beside them; no script,
presentation attributes only, so the strict CSP holds). Readings' consumption and billing's
invoiced amounts share it."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.dates import MONTHS_3

WIDTH = 640
HEIGHT = 260
BOTTOM = 28  # room for the month names
TOP = 16
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM
STEPS = (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000)


@dataclass(frozen=True)
class Bar:
    month: Any  # the row the bar stands for (its .month is 1 to 12)
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


def scale_top(largest: Decimal) -> Decimal:
    """A round top for four grid lines: 4 × the first step that holds the largest bar."""
    for step in STEPS:
        if largest <= step * 4:
            return Decimal(step * 4)
    return (largest / 1000).to_integral_value() * 1000 + 1000


def monthly_bars(months: Sequence[Any], *, value: Callable[[Any], Decimal], left: int) -> dict:
    """Bars and scale for the rows given (each with .month, 1 to 12); ``left``: the room the
    scale's numbers need."""
    slot = (WIDTH - left) / 12
    top = scale_top(max((value(m) for m in months), default=Decimal(0)))
    bars = []
    for m in months:
        height = float(value(m) / top) * PLOT_HEIGHT
        x = left + (m.month - 1) * slot + slot * 0.15
        bars.append(
            Bar(
                month=m,
                label=str(MONTHS_3[m.month]).capitalize(),
                x=round(x, 1),
                y=round(TOP + PLOT_HEIGHT - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                text_x=round(x + slot * 0.35, 1),
            )
        )
    ticks = [Tick(top * i / 4, round(TOP + PLOT_HEIGHT - PLOT_HEIGHT * i / 4, 1)) for i in range(5)]
    return {
        "bars": bars,
        "ticks": ticks,
        "width": WIDTH,
        "height": HEIGHT,
        "left": left,
        "axis_y": TOP + PLOT_HEIGHT,
        "label_y": HEIGHT - 8,
    }
