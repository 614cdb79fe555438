"""The frame of every page: navigation, contract selector, footer, language."""

import pytest
from django.urls import reverse


def test_home_shows_navigation_and_contract_selector(ana_client):
    response = ana_client.get(reverse("portal:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="pt-PT"' in html
    for label in (
        "Início",
        "Os meus contratos",
        "Comunicar leituras",
        "Minhas faturas",
        "Meus pedidos",
        "O meu perfil",
        "Sair",
    ):
        assert label in html
    assert "<option" in html and ">Casa</option>" in html and ">Loja</option>" in html
    assert "244 817 300" in html and "geral@smas-leiria.pt" in html
    assert reverse("portal:accessibility") in html


def test_contract_choice_persists_while_navigating(ana_client, ana):
    loja = ana.subscriptions.get(custom_name="Loja").contract
    response = ana_client.post(
        reverse("portal:choose_contract"),
        {"contract": loja.contract_number, "next": reverse("contracts:list")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("contracts:list")
    html = ana_client.get(reverse("portal:home")).content.decode()
    assert f'value="{loja.contract_number}" selected' in html


def test_cannot_choose_someone_elses_contract(ana_client, bruno):
    bruno_contract = bruno.subscriptions.get().contract
    ana_client.post(reverse("portal:choose_contract"), {"contract": bruno_contract.contract_number})
    html = ana_client.get(reverse("portal:home")).content.decode()
    assert bruno_contract.contract_number not in html


def test_choose_contract_refuses_offsite_redirect(ana_client, ana):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    response = ana_client.post(
        reverse("portal:choose_contract"),
        {"contract": casa.contract_number, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("portal:home")


@pytest.mark.django_db
def test_accessibility_statement_is_public(client):
    response = client.get("/acessibilidade")
    assert response.status_code == 200
    assert "Decreto-Lei n.º 83/2018" in response.content.decode()


def test_english_is_the_second_language(ana_client, ana):
    ana.language = "en"
    ana.save(update_fields=["language"])
    html = ana_client.get(reverse("portal:home")).content.decode()
    assert 'lang="en"' in html


def test_every_page_names_its_icon_so_browsers_do_not_ask_for_a_missing_favicon(client):
    from django.contrib.staticfiles import finders

    page = client.get(reverse("accounts:login")).content.decode()

    assert '<link rel="icon" href="/static/img/logo.svg" type="image/svg+xml">' in page
    assert finders.find("img/logo.svg")
