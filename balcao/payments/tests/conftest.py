import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group

from balcao.billing.tests.factories import issue_month_invoice


@pytest.fixture
def casa(ana):
    return ana.subscriptions.get(custom_name="Casa").contract


@pytest.fixture
def unpaid(casa):
    """September's invoice of ana's Casa: issued 01/10/2026, due 21/10/2026."""
    return issue_month_invoice(casa, datetime.date(2026, 9, 1))


@pytest.fixture
def on_day():
    """Travel to a day (at 10:00, Lisbon) for the rest of the test or a with-block."""
    travellers = []

    def travel(day: datetime.date):
        traveller = time_machine.travel(
            datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC), tick=False
        )
        traveller.start()
        travellers.append(traveller)

    yield travel
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture
def billing_clerk(clerk):
    """A clerk of Atendimento and Faturação (corrects invoices, starts warning runs)."""
    clerk.groups.add(Group.objects.get(name="Faturação"))
    return clerk
