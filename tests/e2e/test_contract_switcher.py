"""The header's contract selector in the browser (issue 11, item 1): on a contract's page,
choosing "Loja" and "Mudar" shows Loja's page, not Casa's under Loja's name."""

import re

import pytest
from playwright.sync_api import expect

from balcao.contracts.models import Subscription

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_mudar_on_a_contract_page_shows_the_chosen_contract(page, login, assert_accessible, ana):
    numbers = {
        s.custom_name: s.contract.contract_number for s in Subscription.objects.filter(user=ana)
    }
    login(page, ana)
    page.goto(f"/contratos/{numbers['Casa']}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(numbers["Casa"])
    page.get_by_label("Contrato", exact=True).select_option(label="Loja")
    page.get_by_role("button", name="Mudar").click()
    expect(page).to_have_url(re.compile(rf"/contratos/{numbers['Loja']}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Loja")
    expect(page.get_by_role("heading", level=1)).to_contain_text(numbers["Loja"])
    assert_accessible(page)

    page.goto(f"/leituras/{numbers['Loja']}/consumos/")
    page.get_by_label("Contrato", exact=True).select_option(label="Casa")
    page.get_by_role("button", name="Mudar").click()
    expect(page).to_have_url(re.compile(rf"/leituras/{numbers['Casa']}/consumos/$"))


def test_the_contract_tabs_lead_to_that_contracts_invoices_and_back(
    page, login, assert_accessible, ana
):
    """Manual 6.3/6.5's tabs, on Loja's page while the header's choice is Casa: "Ver faturas"
    shows Loja's invoices, and "Ver contrato" goes back to Loja's contract."""
    numbers = {
        s.custom_name: s.contract.contract_number for s in Subscription.objects.filter(user=ana)
    }
    login(page, ana)
    page.goto(f"/contratos/{numbers['Loja']}/")
    tabs = page.get_by_role("navigation", name="Páginas do contrato Loja")
    expect(tabs.get_by_role("link", name="Ver contrato")).to_have_attribute("aria-current", "page")

    tabs.get_by_role("link", name="Ver faturas").click()
    expect(page).to_have_url(re.compile(rf"/faturas/\?contrato={numbers['Loja']}$"))
    expect(page.locator("p.lead")).to_contain_text("Histórico de Faturação do contrato Loja")
    expect(tabs.get_by_role("link", name="Ver faturas")).to_have_attribute("aria-current", "page")
    assert_accessible(page)

    tabs.get_by_role("link", name="Ver contrato").click()
    expect(page).to_have_url(re.compile(rf"/contratos/{numbers['Loja']}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(numbers["Loja"])
    assert_accessible(page)

    tabs.get_by_role("link", name="Resumo").focus()  # and by keyboard
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/\?contrato={numbers['Loja']}$"))
    expect(page.locator("p.lead")).to_contain_text("Resumo do contrato Loja")
