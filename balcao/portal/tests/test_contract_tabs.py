"""The chosen contract's tabs (manual 6.3 and 6.5: Resumo, Ver contrato, Comunicar leituras,
Ver faturas, Ver pedidos) on the pages of that contract, and nowhere else."""

import lxml.html
import pytest
from django.urls import reverse

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.models import Subscription

LABELS = ["Resumo", "Ver contrato", "Comunicar leituras", "Ver faturas", "Ver pedidos"]

# The page, whether its URL names the contract, and the tab marked as current.
PAGES = [
    ("portal:home", False, "Resumo"),
    ("contracts:detail", True, "Ver contrato"),
    ("readings:submit", True, "Comunicar leituras"),
    ("readings:history", True, "Comunicar leituras"),
    ("readings:consumption", True, "Comunicar leituras"),
    ("portal:invoices", False, "Ver faturas"),
    ("service_requests:list", False, "Ver pedidos"),
]


def _numbers(user):
    return {
        s.custom_name: s.contract.contract_number for s in Subscription.objects.filter(user=user)
    }


def _tabs(response):
    """The tab bars of the page: [(nav's label, [(text, href, aria-current)])]."""
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.content)
    return [
        (
            nav.get("aria-label"),
            [(a.text_content(), a.get("href"), a.get("aria-current")) for a in nav.iter("a")],
        )
        for nav in tree.xpath("//nav[@class='contract-tabs']")
    ]


def _expected_links(number):
    return [
        reverse("portal:home") + f"?contrato={number}",
        reverse("contracts:detail", args=[number]),
        reverse("readings:submit", args=[number]),
        reverse("portal:invoices") + f"?contrato={number}",
        reverse("service_requests:list"),
    ]


def _lead(response):
    return lxml.html.fromstring(response.content).xpath("//p[@class='lead']")[0].text_content()


@pytest.mark.parametrize(("name", "names_contract", "current"), PAGES)
def test_the_contracts_pages_show_its_tabs_with_the_current_one(
    ana_client, ana, name, names_contract, current
):
    loja = _numbers(ana)["Loja"]
    # Loja is not the first contract: the tabs are the header's choice, not the first.
    ana_client.post(reverse("portal:choose_contract"), {"contract": loja, "next": "/"})
    url = reverse(name, args=[loja] if names_contract else [])

    [(label, links)] = _tabs(ana_client.get(url))

    assert label == "Páginas do contrato Loja"
    assert [text for text, _href, _current in links] == LABELS
    assert [href for _text, href, _current in links] == _expected_links(loja)
    assert [text for text, _href, aria in links if aria == "page"] == [current]


def test_following_ver_faturas_from_another_contracts_page_shows_that_contracts_invoices(
    ana_client, ana
):
    numbers = _numbers(ana)
    ana_client.post(reverse("portal:choose_contract"), {"contract": numbers["Casa"], "next": "/"})
    [(_label, links)] = _tabs(ana_client.get(reverse("contracts:detail", args=[numbers["Loja"]])))
    hrefs = {text: href for text, href, _aria in links}

    invoices = ana_client.get(hrefs["Ver faturas"])
    summary = ana_client.get(hrefs["Resumo"])

    assert "Histórico de Faturação do contrato Loja" in _lead(invoices)
    assert f'name="contrato" value="{numbers["Loja"]}"' in invoices.text  # kept by "Ver ano"
    assert "Resumo do contrato Loja" in _lead(summary)
    # A GET writes nothing: the header's choice is still Casa.
    assert "Resumo do contrato Casa" in _lead(ana_client.get(reverse("portal:home")))


def test_mudar_on_a_page_opened_from_the_tabs_shows_the_chosen_contract(ana_client, ana):
    numbers = _numbers(ana)
    url = reverse("portal:invoices") + f"?ano=2025&contrato={numbers['Loja']}"
    response = ana_client.post(
        reverse("portal:choose_contract"), {"contract": numbers["Casa"], "next": url}
    )
    expected = reverse("portal:invoices") + f"?ano=2025&contrato={numbers['Casa']}"
    assert response["Location"] == expected
    assert "Histórico de Faturação do contrato Casa" in _lead(ana_client.get(expected))


def test_someone_elses_contract_in_the_link_shows_the_users_own(ana_client, ana, bruno):
    other = _numbers(bruno)["Casa"]
    response = ana_client.get(reverse("portal:invoices") + f"?contrato={other}")
    [(label, links)] = _tabs(response)
    assert label == "Páginas do contrato Casa"
    assert "Histórico de Faturação do contrato Casa" in _lead(response)
    main = lxml.html.tostring(lxml.html.fromstring(response.content).xpath("//main")[0])
    assert other.encode() not in main


@pytest.mark.parametrize(
    "name", ["accounts:profile", "service_requests:new", "contracts:list", "readings:reminders"]
)
def test_pages_of_other_things_have_no_contract_tabs(ana_client, name):
    assert _tabs(ana_client.get(reverse(name))) == []


@pytest.mark.parametrize("name", ["portal:home", "portal:invoices", "service_requests:list"])
def test_a_user_without_contracts_has_no_contract_tabs(client, db, name):
    client.force_login(UserFactory(username="semcontratos"))
    assert _tabs(client.get(reverse(name))) == []
