"""Invoices for the customer pages' tests: issued for real (``issue_invoice``), month by month.

(The billing run's tests have their own helpers; this one only needs documents to show.)
"""

import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from balcao.billing.computation import compute_bill
from balcao.billing.models import Invoice, Tariff
from balcao.billing.services.invoices import issue_invoice
from balcao.billing.services.tariffs import save_tariff
from balcao.billing.tariff_file import read_tariff_file

DEMO_TARIFF = Path(settings.BASE_DIR) / "data" / "tariffs" / "demo.toml"


def domestic_tariff() -> Tariff:
    """DOMAIN.md's demo tariff for domestic contracts, stored once."""
    tariffs, _source = read_tariff_file(DEMO_TARIFF)
    data = next(tariff for tariff in tariffs if tariff.tariff_type == "domestic")
    existing = Tariff.objects.filter(tariff_type="domestic", valid_from=data.valid_from).first()
    return existing or save_tariff(data)


def bill(
    contract,
    *,
    start: datetime.date,
    days: int = 30,
    volume: str = "10",
    issue_date: datetime.date | None = None,
    **kwargs,
) -> Invoice:
    """The invoice of ``days`` days from ``start``, issued the day after the period ends
    (or on ``issue_date``) with the demo tariff."""
    tariff = domestic_tariff()
    end = start + datetime.timedelta(days=days - 1)
    computation = compute_bill(tariff.to_data(), water_volume=Decimal(volume), days=days)
    return issue_invoice(
        contract=contract,
        period_start=start,
        period_end=end,
        tariff=tariff,
        computation=computation,
        issue_date=issue_date or end + datetime.timedelta(days=1),
        **kwargs,
    )


def monthly_invoices(contract, *, first: datetime.date, count: int, volume: str = "10"):
    """``count`` consecutive 30-day invoices from ``first``."""
    return [
        bill(contract, start=first + datetime.timedelta(days=30 * n), volume=volume)
        for n in range(count)
    ]
