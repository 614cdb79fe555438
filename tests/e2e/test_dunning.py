"""An unpaid invoice in the browser: its timeline, "Reclamar desta fatura" and "Pedir
pagamento em prestações" (with an error next to the field), and the instalments once a
clerk granted them. axe on each page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from balcao.billing.tests.helpers_pages import bill
from balcao.payments.services.plans import accept_payment_plan
from balcao.service_requests.models import ServiceRequest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_overdue_invoice_its_complaint_and_its_instalments(
    page, login, assert_accessible, ana, clerk
):
    contract = ana.subscriptions.get(custom_name="Casa").contract
    today = timezone.localdate()
    start = today - datetime.timedelta(days=120)
    first = bill(contract, start=start, issue_date=today - datetime.timedelta(days=80))
    second = bill(
        contract,
        start=start + datetime.timedelta(days=30),
        issue_date=today - datetime.timedelta(days=50),
    )

    login(page, ana)
    page.goto(reverse("billing:invoice", args=[first.number]))
    assert "Se a fatura não for paga" in page.locator("#conteudo").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Reclamar desta fatura").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Reclamar da fatura {first.number}"
    assert_accessible(page)
    page.get_by_label("Descrição").fill("")
    page.get_by_role("button", name="Submeter").click()
    assert page.locator(".error-summary").count() == 1
    assert_accessible(page)
    page.get_by_label("Descrição").fill("A leitura de março está errada.")
    page.get_by_role("button", name="Submeter").click()
    assert "Reclamação n.º" in page.locator("#conteudo").inner_text()

    page.goto(reverse("billing:invoice", args=[second.number]))
    page.get_by_role("link", name="Pedir pagamento em prestações").click()
    assert_accessible(page)
    page.get_by_label("Número de prestações").select_option("3")
    page.get_by_role("button", name="Submeter").click()
    request = ServiceRequest.objects.get(request_type="instalments")
    accept_payment_plan(
        service_request=request,
        instalments=3,
        first_due_date=today + datetime.timedelta(days=5),
        actor=clerk,
    )
    page.goto(reverse("billing:invoice", args=[second.number]))
    assert page.get_by_role("heading", name="Pagamento em prestações").count() == 1
    assert_accessible(page)
