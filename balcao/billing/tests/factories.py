"""Invoices for tests, issued through the real services (numbers, signature, lines): a
customer fixture (the root conftest's ana) gets invoices with ``issue_month_invoice``."""

import datetime
from decimal import Decimal

from django.conf import settings

from balcao.billing.computation import compute_bill
from balcao.billing.models import Invoice, Tariff
from balcao.billing.services.billing_run import month_bounds
from balcao.billing.services.invoices import issue_invoice
from balcao.billing.services.tariffs import save_tariff
from balcao.billing.tariff_file import read_tariff_file
from balcao.contracts.models import Contract
from balcao.core.transitions import transition


def demo_tariff(tariff_type: str = "domestic") -> Tariff:
    """DOMAIN.md's demo tariff of this type, stored once."""
    found = Tariff.objects.filter(tariff_type=tariff_type).order_by("valid_from").first()
    if found:
        return found
    name = "non-domestic.toml" if tariff_type == "non_domestic" else "demo.toml"
    tariffs, source = read_tariff_file(settings.BASE_DIR / "data" / "tariffs" / name)
    data = next(t for t in tariffs if t.tariff_type == tariff_type)
    return save_tariff(data, source=source)


def issue_for_period(
    contract: Contract,
    tariff: Tariff,
    period: tuple[datetime.date, datetime.date],
    volume: str | Decimal = "10",
    **kwargs,
) -> Invoice:
    """An invoice for ``volume`` m³ over ``period`` (first and last day), issued as the billing
    run issues it; ``kwargs`` go to issue_invoice (readings, issue_date, …)."""
    days = (period[1] - period[0]).days + 1
    computation = compute_bill(tariff.to_data(), water_volume=Decimal(volume), days=days)
    return issue_invoice(
        contract=contract,
        period_start=period[0],
        period_end=period[1],
        tariff=tariff,
        computation=computation,
        **kwargs,
    )


def issue_month_invoice(
    contract: Contract,
    month: datetime.date,
    *,
    volume: str | Decimal = "10",
    issue_date: datetime.date | None = None,
    paid: bool = False,
    estimated: bool = False,
) -> Invoice:
    """The month's invoice of a contract for ``volume`` m³, issued the day after the month
    (or ``issue_date``); ``paid`` moves it to "Paga"."""
    start, end = month_bounds(month)
    tariff = demo_tariff(contract.tariff_type)
    computation = compute_bill(
        tariff.to_data(),
        water_volume=Decimal(volume),
        days=(end - start).days + 1,
        tariff_type=contract.tariff_type,
        household_size=contract.household_size,
    )
    invoice = issue_invoice(
        contract=contract,
        period_start=start,
        period_end=end,
        tariff=tariff,
        computation=computation,
        estimated=estimated,
        issue_date=issue_date or end + datetime.timedelta(days=1),
    )
    if paid:
        transition(invoice, Invoice.Status.PAID)
    return invoice
