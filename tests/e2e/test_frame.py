"""The frame of every page in a real browser: navigation, accessibility, a phone's width."""

import pytest
from playwright.sync_api import expect

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.models import Subscription
from balcao.contracts.tests.factories import SubscriptionFactory
from balcao.notices.models import Notice
from balcao.notices.tests.factories import NoticeFactory
from balcao.service_requests.models import Channel, RequestType
from balcao.service_requests.services import submit_request

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAIN_NAVIGATION = [
    "Início",
    "Os meus contratos",
    "Comunicar leituras",
    "Minhas faturas",
    "Meus pedidos",
    "O meu perfil",
]
PHONE = {"width": 360, "height": 740}


def has_no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def main_navigation(page):
    return page.get_by_role("navigation", name="Navegação principal")


def test_customer_follows_every_link_of_the_main_navigation(page, login, assert_accessible, ana):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    NoticeFactory(
        title="Corte de água programado",
        text="O abastecimento será interrompido entre as 9h00 e as 13h00.",
        audience=Notice.Audience.CONTRACTS,
        contracts=[casa],
    )
    request = submit_request(
        user=ana,
        request_type=RequestType.LOW_PRESSURE,
        contract=casa,
        channel=Channel.EMAIL,
        contact_value=ana.email,
        description="A pressão está muito baixa desde ontem.",
    )
    login(page, ana)
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Início"
    expect(page.get_by_role("heading", name="Corte de água programado")).to_be_visible()
    expect(page.get_by_text("Baixa pressão")).to_be_visible()
    expect(page.get_by_role("link", name=str(request.number))).to_be_visible()
    assert_accessible(page)

    for label in MAIN_NAVIGATION:
        main_navigation(page).get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state()
        current = main_navigation(page).locator("[aria-current=page]")
        assert current.inner_text() == label, f"{label} is not marked as the current page"
        assert page.get_by_role("heading", level=1).count() == 1
        assert_accessible(page)


def test_customer_dismisses_a_notice(page, login, ana):
    NoticeFactory(title="Bem-vindo ao novo Balcão Digital", text="Experimente.")
    login(page, ana)
    page.goto("/")
    page.get_by_role("button", name="Dispensar: Bem-vindo ao novo Balcão Digital").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text() == (
        "A notificação «Bem-vindo ao novo Balcão Digital» foi dispensada."
    )
    expect(page.get_by_text("Não há notificações.")).to_be_visible()


def test_home_without_contracts_is_accessible(page, login, assert_accessible):
    user = UserFactory()
    SubscriptionFactory(
        user=user,
        contract=None,
        custom_name="Casa da praia",
        cil="712345",
        customer_number="100999",
        account_number="500999",
        status=Subscription.Status.EVALUATING,
        activated_at=None,
    )
    login(page, user)
    page.goto("/")
    expect(page.get_by_role("heading", name="Adicionar um contrato")).to_be_visible()
    expect(page.get_by_role("cell", name="Em avaliação")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Adicionar um contrato").click()
    page.wait_for_load_state()
    assert page.url.endswith("/contratos/adicionar/")


def test_public_pages_are_accessible_without_signing_in(page, assert_accessible):
    for path in ("/conta/entrar/", "/acessibilidade"):
        page.goto(path)
        assert page.get_by_role("heading", level=1).count() == 1
        assert_accessible(page)


def test_pages_fit_a_phone_without_horizontal_scroll(page, login, ana):
    NoticeFactory(title="Corte de água programado na freguesia de Santa Catarina da Serra")
    page.set_viewport_size(PHONE)
    page.goto("/conta/entrar/")
    assert has_no_horizontal_scroll(page), "the login page scrolls sideways at 360 px"
    login(page, ana)
    for label in MAIN_NAVIGATION:
        page.goto("/")
        main_navigation(page).get_by_role("link", name=label, exact=True).click()
        page.wait_for_load_state()
        assert has_no_horizontal_scroll(page), f"{label} scrolls sideways at 360 px"
