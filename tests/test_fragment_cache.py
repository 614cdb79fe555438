"""The rendered tables and charts cached by their content (balcao/core/fragments.py) never
show stale data: a new reading, an invoice paid or the day it falls overdue, the other
language, each shows at once, with the cache on (local memory on SQLite, Redis in CI's
PostgreSQL run and in production: the same {% cache %} tag)."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from balcao.billing.models import Invoice
from balcao.billing.tests.helpers_pages import bill
from balcao.core.fragments import fragment_key
from balcao.core.transitions import transition
from balcao.readings.tests.factories import ReadingFactory
from balcao.readings.tests.test_submit_reading import open_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def casa(user):
    return user.subscriptions.get(custom_name="Casa").contract


def table(html):
    return html[html.index("<tbody>") : html.index("</tbody>")]


def lead(html):
    return re.search(r'<p class="lead">([^<]+)</p>', html).group(1)


def fragment_entries():
    """The cached fragments' keys: from locmem's own dict, or from Redis (CI's PostgreSQL
    run; the cache is emptied around every test, so what is there is this test's)."""
    store = cache._cache
    if isinstance(store, dict):
        return [key for key in store if "template.cache." in key]
    return list(store.get_client().scan_iter(match="*template.cache.*"))


@time_machine.travel("2026-04-05 10:00:00+01:00", tick=False)
def test_a_reading_sent_through_the_form_shows_at_once_in_history_and_consumption(ana_client, ana):
    contract = casa(ana)
    installation = contract.installation
    ReadingFactory(installation=installation, taken_on=datetime.date(2026, 1, 5), index=100)
    ReadingFactory(installation=installation, taken_on=datetime.date(2026, 3, 6), index=160)
    history = reverse("readings:history", args=[contract.contract_number])
    consumption = reverse("readings:consumption", args=[contract.contract_number])
    before = ana_client.get(history).content.decode()
    chart_before = lead(ana_client.get(consumption).content.decode())
    assert ">160<" in before and ">200<" not in before
    assert len(fragment_entries()) == 2  # the table and the chart are now cached
    again = ana_client.get(history).content.decode()
    assert table(again) == table(before)  # served from the cache

    key = open_form(ana_client, contract)
    response = ana_client.post(
        reverse("readings:submit", args=[contract.contract_number]),
        {"index": "200", "submission_key": key},
    )
    assert response.status_code == 302

    after = ana_client.get(history).content.decode()
    rows = table(after).split("<tr>")[1:]
    assert "05/04/2026" in rows[0] and ">200<" in rows[0] and ">40<" in rows[0]
    # The year's total now counts the real 40 m³ to 05/04, not the estimate of before.
    chart_after = lead(ana_client.get(consumption).content.decode())
    assert chart_after != chart_before and chart_after.startswith("Em 2026:")
    assert len(fragment_entries()) == 4


@time_machine.travel("2026-05-20 10:00:00+01:00", tick=False)
def test_minhas_faturas_shows_a_payment_and_an_overdue_invoice_at_once(ana_client, ana):
    contract = casa(ana)
    ana_client.post(reverse("portal:choose_contract"), {"contract": contract.contract_number})
    march = bill(contract, start=datetime.date(2026, 3, 2), volume="10")  # due 21/04
    april = bill(contract, start=datetime.date(2026, 4, 1), volume="10")  # due 21/05
    invoices = reverse("portal:invoices")

    def status_of(html, invoice):
        end = html.index(f">{invoice.number}</a>")
        row = html[html.rindex("<tr>", 0, end) : end]
        return re.findall(r'status--\w+">([^<]+)<', row)[-1]

    html = ana_client.get(invoices).content.decode()
    assert status_of(html, march) == "Vencida" and status_of(html, april) == "Por pagar"

    transition(march, Invoice.Status.PAID)
    html = ana_client.get(invoices).content.decode()
    assert status_of(html, march) == "Pago"

    with time_machine.travel("2026-05-22 10:00:00+01:00", tick=False):  # past 21/05
        ana_client.force_login(ana)  # two days idle: a new session
        ana_client.post(reverse("portal:choose_contract"), {"contract": contract.contract_number})
        html = ana_client.get(invoices).content.decode()
    assert status_of(html, april) == "Vencida"


def test_the_key_follows_every_column_the_language_and_nothing_else(ana):
    from django.utils import translation

    contract = casa(ana)
    same = type(contract).objects.get(pk=contract.pk)
    assert fragment_key(2026, [contract]) == fragment_key(2026, [same])
    same.tariff_type = "other"
    assert fragment_key(2026, [contract]) != fragment_key(2026, [same])
    assert fragment_key(2026, [contract]) != fragment_key(2025, [contract])
    with translation.override("en"):
        english = fragment_key(2026, [contract])
    assert english != fragment_key(2026, [contract])
    with pytest.raises(TypeError):
        fragment_key(object())
