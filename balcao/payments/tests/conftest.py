"""Payments' fixtures: ana's contracts ("Loja" paid by direct debit, with a mandate in force),
an unpaid invoice, a clock to travel with, and a clerk of Faturação."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group

from balcao.billing.services import create_mandate
from balcao.billing.tests.factories import issue_month_invoice


@pytest.fixture
def casa(ana):
    return ana.subscriptions.get(custom_name="Casa").contract


@pytest.fixture
def loja(ana):
    """ana's "Loja": its own billing account, on direct debit with an active mandate."""
    contract = ana.subscriptions.get(custom_name="Loja").contract
    create_mandate(
        account=contract.account,
        debtor_name="Ana Silva",
        debtor_address="Rua Direita, 10, 2400-001 Leiria",
        iban="PT50000201231234567890154",
        signed_at=datetime.date(2026, 1, 15),
        signed_place="Leiria",
        authorisation_text="Autorizo.",
    )
    contract.account.refresh_from_db()
    return contract


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
