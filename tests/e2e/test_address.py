"""The address block anywhere in Portugal: the concelhos of the chosen distrito, in the page
with JavaScript and by "Escolher distrito" without it (issue 11, item 2)."""

import pytest
from playwright.sync_api import expect

from balcao.core.territory import ensure_territory
from balcao.service_requests.models import ServiceRequest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def billing_address_url(ana):
    subscription = ana.subscriptions.filter(status="active").order_by("custom_name").first()
    return f"/pedidos/contrato/{subscription.contract.contract_number}/billing_address/"


def concelhos(page):
    return page.locator("#id_municipality option").all_text_contents()


def fill_lisbon_address(page):
    page.get_by_label("Rua").fill("Avenida da República")
    page.get_by_label("Porta").fill("10")
    page.get_by_label("Código postal").fill("1050 185")
    page.get_by_label("Localidade postal").fill("Lisboa")
    page.get_by_label("Localidade", exact=True).fill("Lisboa")


def test_with_javascript_the_district_lists_its_concelhos(page, login, assert_accessible, ana):
    ensure_territory()
    login(page, ana)
    page.goto(billing_address_url(ana))
    assert_accessible(page)
    expect(page.get_by_role("button", name="Escolher distrito")).to_have_count(0)

    fill_lisbon_address(page)
    page.get_by_label("Distrito").select_option(label="Lisboa")
    options = concelhos(page)
    assert "Sintra" in options and "Leiria" not in options and "Porto" not in options
    page.get_by_label("Concelho").select_option(label="Lisboa")
    page.get_by_label("Nenhum").check()
    page.get_by_role("button", name="Submeter").click()

    expect(page.locator(".message--success")).to_contain_text("submetido")
    address = ServiceRequest.objects.get().new_address
    assert (address.municipality.name, address.parish, address.postal_code) == (
        "Lisboa",
        None,
        "1050-185",
    )


def test_without_javascript_escolher_distrito_lists_its_concelhos(
    browser, live_server, login, assert_accessible, ana, settings
):
    ensure_territory()
    settings.ALLOWED_HOSTS = ["*"]
    context = browser.new_context(
        base_url=live_server.url, locale="pt-PT", java_script_enabled=False
    )
    page = context.new_page()
    login(page, ana)
    page.goto(billing_address_url(ana))

    fill_lisbon_address(page)
    page.get_by_label("Distrito").select_option(label="Lisboa")
    page.get_by_role("button", name="Escolher distrito").click()
    page.wait_for_load_state()

    options = concelhos(page)
    assert "Sintra" in options and "Leiria" not in options
    assert page.get_by_label("Rua").input_value() == "Avenida da República"  # kept
    expect(page.locator(".error-summary")).to_have_count(0)
    assert not ServiceRequest.objects.exists()
    context.close()
