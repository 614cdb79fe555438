"""The geometry of "Minhas faturas"' yearly chart (invoiced € by month), drawn as SVG by the
template, as readings' consumption chart is."""

from balcao.billing.statements import MonthAmount
from balcao.core.charts import monthly_bars


def yearly_chart(months: list[MonthAmount]) -> dict:
    """Bars and scale for the 12 months given; the scale leaves room for euros."""
    return monthly_bars(months, value=lambda m: m.amount, left=56)
