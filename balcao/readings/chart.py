"""The geometry of the monthly consumption chart, drawn as SVG by the template."""

from balcao.core.charts import monthly_bars
from balcao.readings.selectors import MonthConsumption


def monthly_chart(months: list[MonthConsumption]) -> dict:
    """Bars and scale for the months given (m³ by month)."""
    return monthly_bars(months, value=lambda m: m.volume, left=48)
