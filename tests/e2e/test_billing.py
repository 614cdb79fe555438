"""Minhas faturas in the browser: the year's chart and list, an invoice's summary, its PDF;
the public simulator with its errors. axe on each page."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from balcao.billing.tests.helpers_pages import bill, domestic_tariff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_minhas_faturas_to_an_invoice_and_its_pdf(page, login, assert_accessible, ana):
    contract = ana.subscriptions.get(custom_name="Casa").contract
    this_month = timezone.localdate().replace(day=1)
    start = this_month - datetime.timedelta(days=60)
    bill(contract, start=start, volume="9", issue_date=start + datetime.timedelta(days=30))
    invoice = bill(
        contract,
        start=start + datetime.timedelta(days=30),
        volume="14",
        issue_date=timezone.localdate(),
        adjustment_note="Acerto de 2 m³ estimados no mês anterior.",
    )
    invoice.pdf.save("fatura.pdf", ContentFile(b"%PDF-1.4\n% fatura de teste\n%%EOF\n"))

    login(page, ana)
    page.goto("/")
    assert "Pagamento por Multibanco" in page.locator("#conteudo").inner_text()  # Início
    assert_accessible(page)
    page.get_by_role("navigation", name="Navegação principal").get_by_role(
        "link", name="Minhas faturas"
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Minhas faturas"
    assert page.locator("svg title#invoice-chart-title").count() == 1
    # the list by the manual's words (6.4), colons included
    invoices = page.get_by_role("table", name=re.compile("por mês$"))
    expect(invoices.get_by_role("columnheader", name="Emitida:")).to_be_visible()
    expect(invoices.get_by_role("columnheader", name="Pagar até:")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=invoice.number, exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Fatura {invoice.number}"
    assert "consumo maior: 14 m³ contra 9 m³" in page.locator(".invoice-why").inner_text()
    assert "inclui acerto de estimativas" in page.locator(".invoice-why").inner_text()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Fatura").click()
    download = download_info.value
    assert (
        download.suggested_filename == invoice.number.replace(" ", "-").replace("/", "-") + ".pdf"
    )
    with open(download.path(), "rb") as pdf:
        assert pdf.read().startswith(b"%PDF-1.4")


def test_the_simulator_from_the_sign_in_page(page, assert_accessible, db):
    domestic_tariff()
    page.goto("/conta/entrar/")
    page.get_by_role("link", name="Simulador de fatura: quanto pagaria por um consumo").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Simulador de fatura"
    assert_accessible(page)

    page.get_by_label("Consumo (m³)").fill("dez")
    page.get_by_role("button", name="Simular").click()
    assert "Indique o consumo só com algarismos" in page.locator(".error-summary").inner_text()
    assert_accessible(page)

    page.get_by_label("Consumo (m³)").fill("10")
    page.get_by_role("button", name="Simular").click()
    assert page.get_by_role("heading", level=2).first.inner_text() == "Valor estimado: 26,74 €"
    assert_accessible(page)


def test_the_simulators_totals_on_a_phone_name_each_amount_once(page, db):
    domestic_tariff()
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/simulador-de-fatura/?tariff_type=domestic&consumption=10&days=30")

    rows = page.locator(".simulator-result tfoot tr")
    assert rows.count() == 3
    for index in range(3):
        header, amount = rows.nth(index).locator("th"), rows.nth(index).locator("td")
        # the amount's label (::before) is not drawn: the row's header already names it
        before = amount.evaluate("td => getComputedStyle(td, '::before').content")
        assert before in ("none", "normal"), before
        # name and amount side by side, on one line
        assert abs(header.bounding_box()["y"] - amount.bounding_box()["y"]) < 4
    assert rows.last.inner_text().split() == ["Total", "26,74", "€"]
