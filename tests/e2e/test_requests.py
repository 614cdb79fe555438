"""Requests end to end: "Novo pedido" → the clerk answers in the admin → the customer reads it."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from balcao.accounts.tests.factories import UserFactory
from balcao.service_requests.models import ServiceRequest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clerk_user(db):
    user = UserFactory(username="atendimento", is_staff=True, first_name="Carla")
    user.groups.add(Group.objects.get(name="Atendimento"))
    return user


def test_new_request_answered_by_the_clerk_is_read_by_the_customer(
    page, browser, live_server, login, assert_accessible, ana, clerk_user
):
    # The customer asks for information.
    login(page, ana)
    page.get_by_role("navigation", name="Navegação principal").get_by_role(
        "link", name="Meus pedidos"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Novo pedido").click()
    assert_accessible(page)
    page.get_by_role("link", name="Informação").click()
    page.get_by_role("button", name="Submeter").click()  # empty: the errors are explained
    expect(page).to_have_title(re.compile(r"^Erro:"))  # waits for the answer to the post
    assert_accessible(page)
    page.get_by_label("Descrição").fill("Qual é o horário do balcão de atendimento de Leiria?")
    assert page.get_by_label("Valor do contacto").input_value() == "ana.silva@example.pt"
    page.get_by_label("Email").check()
    page.get_by_role("button", name="Submeter").click()
    service_request = ServiceRequest.objects.get()
    expect(page.get_by_text(f"Pedido n.º {service_request.number} submetido.")).to_be_visible()
    assert_accessible(page)

    # The clerk answers it in the back office.
    clerk_context = browser.new_context(base_url=live_server.url, locale="pt-PT")
    clerk_page = clerk_context.new_page()
    login(clerk_page, clerk_user)
    clerk_page.goto("/admin/service_requests/servicerequest/?status__exact=submitted")
    clerk_page.get_by_role("link", name=str(service_request.number)).click()
    clerk_page.get_by_role("link", name="Responder e fechar").click()
    clerk_page.get_by_label("Resposta ao cliente").fill(
        "O balcão de Leiria abre dias úteis, das 9h às 16h."
    )
    clerk_page.get_by_role("button", name="Responder e fechar").click()
    expect(clerk_page.get_by_text("foi respondido e fechado")).to_be_visible()
    clerk_context.close()

    # The customer reads the resolution.
    page.goto("/pedidos/")
    row = page.get_by_role("row").filter(has_text=str(service_request.number))
    assert "Fechado" in row.inner_text()
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Resolução")).to_be_visible()
    expect(page.get_by_text("O balcão de Leiria abre dias úteis, das 9h às 16h.")).to_be_visible()
    assert_accessible(page)


def test_the_change_forms_are_accessible(page, login, assert_accessible, ana):
    contract = ana.subscriptions.order_by("custom_name").first().contract
    login(page, ana)
    for kind in (
        "e_invoice_on",
        "direct_debit_on",
        "billing_address",
        "contact_change",
        "termination",
    ):
        page.goto(f"/pedidos/contrato/{contract.contract_number}/{kind}/")
        assert_accessible(page)
    page.get_by_role("button", name="Submeter").click()
    expect(page).to_have_title(re.compile(r"^Erro:"))  # waits for the answer to the post
    assert_accessible(page)
