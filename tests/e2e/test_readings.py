"""Comunicar leituras in the browser: both warnings, acceptance, the receipt; axe on each page."""

import datetime

import pytest
from django.utils import timezone

from balcao.readings.models import Reading
from balcao.readings.tests.factories import ReadingFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_submission_with_both_warnings_needs_acceptance(page, login, assert_accessible, ana):
    contract = ana.subscriptions.get(custom_name="Casa").contract
    installation = contract.installation
    today = timezone.localdate()
    # A window that does not contain today, so the date warning shows whatever the day.
    installation.reading_window_start, installation.reading_window_end = (
        (2, 8) if today.day > 10 else (20, 28)
    )
    installation.save()
    for days_ago, index in ((60, 100), (30, 130)):
        ReadingFactory(
            installation=installation,
            taken_on=today - datetime.timedelta(days=days_ago),
            index=index,
        )

    login(page, ana)
    page.get_by_role("navigation", name="Navegação principal").get_by_role(
        "link", name="Comunicar leituras"
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Comunicar leituras"
    assert_accessible(page)

    page.get_by_label("Leitura de Água (m³)").fill("900")
    page.get_by_role("button", name="Submeter").click()
    warnings = page.get_by_role("alert")
    assert "Leitura fora dos valores esperados" in warnings.inner_text()
    assert "Leitura submetida fora das datas esperadas" in warnings.inner_text()
    assert not Reading.objects.filter(origin=Reading.Origin.CUSTOMER).exists()
    assert_accessible(page)

    page.get_by_label("Aceito enviar a leitura com os valores").check()
    page.get_by_role("button", name="Submeter").click()
    reading = Reading.objects.get(origin=Reading.Origin.CUSTOMER)
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == f"Comprovativo de leitura n.º {reading.receipt_number}"
    assert "Apenas para histórico (comunicada fora do período de leitura)" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Leituras", exact=True).click()
    assert reading.receipt_number in page.get_by_role("table").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Consumos").click()
    assert page.locator("svg title#chart-title").count() == 1
    assert_accessible(page)
