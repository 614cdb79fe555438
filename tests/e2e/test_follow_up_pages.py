"""The pages of issue 11 items 5, 6, 12 and 13 pass axe in the browser: the mandate, the
e-invoice conditions, a request with its message form and withdrawal, earlier notices."""

import datetime

import pytest
from playwright.sync_api import expect

from balcao.billing.models import authorisation_text
from balcao.billing.services import create_mandate
from balcao.notices.models import NoticeDismissal
from balcao.notices.tests.factories import NoticeFactory
from balcao.service_requests import services
from balcao.service_requests.models import Channel, RequestType

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_new_pages_are_accessible(page, login, assert_accessible, ana, settings):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    create_mandate(
        account=casa.account,
        debtor_name="Ana Silva",
        debtor_address="Rua Direita 1, 2400-001 Leiria",
        iban="PT50000201231234567890154",
        signed_at=datetime.date(2026, 4, 10),
        signed_place="Leiria",
        authorisation_text=authorisation_text(settings.UTILITY["name"]),
    )
    sent = services.submit_request(
        user=ana,
        request_type=RequestType.INFORMATION,
        contract=None,
        channel=Channel.EMAIL,
        contact_value=ana.email,
        description="Qual é o horário do balcão?",
    )
    notice = NoticeFactory(title="Corte de água")
    NoticeDismissal.objects.create(notice=notice, user=ana)

    login(page, ana)
    page.goto(f"/contratos/{casa.contract_number}/")
    page.get_by_role("link", name="Ver a autorização de débito direto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Autorização de débito direto")
    assert_accessible(page)

    page.goto("/fatura-eletronica/condicoes")
    assert_accessible(page)

    page.goto(f"/pedidos/{sent.number}/")
    page.get_by_role("textbox", name="Mensagem").fill("Pode ser de manhã?")
    page.get_by_role("button", name="Enviar mensagem").click()
    expect(page.get_by_text("A sua mensagem foi juntada ao pedido.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Retirar o pedido").click()
    assert_accessible(page)
    page.get_by_role("button", name="Retirar o pedido").click()
    expect(page.get_by_text(f"O pedido n.º {sent.number} foi retirado.")).to_be_visible()

    page.goto("/")
    page.get_by_role("link", name="Ver avisos anteriores").click()
    expect(page.get_by_role("heading", name="Corte de água")).to_be_visible()
    assert_accessible(page)
