"""Início's "Última fatura" (manual 6.1 i) and the contract list's "Última fatura" column."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from balcao.accounts.tests.factories import UserFactory
from balcao.billing.models import Invoice
from balcao.billing.tests.helpers_pages import bill
from balcao.contracts.tests.factories import SubscriptionFactory
from balcao.core.transitions import transition

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")
CONTRACTS = reverse("contracts:list")


def casa(user):
    return user.subscriptions.get(custom_name="Casa").contract


@time_machine.travel("2026-02-05 10:00:00+00:00", tick=False)
def test_home_shows_the_latest_invoice_with_its_multibanco_reference(ana_client, ana, settings):
    settings.MULTIBANCO_ENTITY, settings.MULTIBANCO_SUB_ENTITY = "90150", "123"
    contract = casa(ana)
    ana_client.post(reverse("portal:choose_contract"), {"contract": contract.contract_number})
    older = bill(contract, start=datetime.date(2025, 12, 2))  # issued 01/01
    latest = bill(contract, start=datetime.date(2026, 1, 1))  # issued 31/01, due 20/02
    transition(older, Invoice.Status.PAID)

    html = ana_client.get(HOME).content.decode()

    assert f'href="{reverse("billing:invoice", args=[latest.number])}">{latest.number}</a>' in html
    assert "26,74 €" in html and "20/02/2026" in html
    assert '<span class="status status--pending">Por pagar</span>' in html
    # DOMAIN.md's check digits for entity 90150, sub-entity 123, id 0002 (the sequence)
    sequence = f"123{latest.sequence:04d}"
    digits = 98 - (int(f"90150{sequence}{2674:08d}") * 100) % 97
    reference = f"{sequence}{digits:02d}"
    assert "<dt>Entidade</dt>" in html and '<span class="reference">90150</span>' in html
    grouped = f"{reference[:3]} {reference[3:6]} {reference[6:]}"
    assert f'<span class="reference">{grouped}</span>' in html
    assert "<dt>Montante</dt><dd>26,74 €</dd>" in html
    assert f'<a href="{reverse("portal:invoices")}">Ver todas as Faturas</a>' in html


def test_home_shows_no_reference_once_paid_or_by_direct_debit(ana_client, ana):
    contract = casa(ana)
    ana_client.post(reverse("portal:choose_contract"), {"contract": contract.contract_number})
    invoice = bill(contract, start=datetime.date(2026, 1, 1))
    transition(invoice, Invoice.Status.PAID)
    html = ana_client.get(HOME).content.decode()
    assert '<span class="status status--ok">Pago</span>' in html
    assert "Pagamento por Multibanco" not in html

    loja = ana.subscriptions.get(custom_name="Loja").contract
    loja.account.direct_debit = True
    loja.account.save()
    bill(loja, start=datetime.date(2026, 1, 1))
    ana_client.post(reverse("portal:choose_contract"), {"contract": loja.contract_number})
    html = ana_client.get(HOME).content.decode()
    assert "Pagamento por Multibanco" not in html
    assert "Paga por débito direto." in html


@time_machine.travel("2026-02-05 10:00:00+00:00", tick=False)
def test_contract_list_shows_each_contracts_latest_invoice(ana_client, ana):
    contract = casa(ana)
    bill(contract, start=datetime.date(2025, 12, 2), volume="4")
    bill(contract, start=datetime.date(2026, 1, 1), volume="10")

    html = ana_client.get(CONTRACTS).content.decode()

    assert '26,74 €<br><span class="status status--pending">Por pagar</span></td>' in html
    assert "Sem faturas" in html  # Loja has none


@pytest.mark.parametrize("contracts", [1, 12])
def test_contract_list_reads_every_latest_invoice_in_one_query(
    client, contracts, django_assert_max_num_queries
):
    user = UserFactory()
    owned = [
        SubscriptionFactory(user=user, custom_name=f"C{n:02d}").contract for n in range(contracts)
    ]
    for month in range(3):  # a series' documents are issued in date order
        for contract in owned:
            bill(contract, start=datetime.date(2026, 1, 1) + datetime.timedelta(days=30 * month))
    client.force_login(user)
    client.get(CONTRACTS)
    with django_assert_max_num_queries(5):
        html = client.get(CONTRACTS).content.decode()
    assert html.count('<span class="status status--') == contracts
    assert "Sem faturas" not in html
