"""The letter path end to end, in a real browser (manual section 2, points 2 and 3b).

A newcomer adds the demo's free contract 200002 (no e-mail on record), the clerk
prints the activation letters in the admin, and the code read from that PDF
activates the contract.
"""

import re
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.models import Subscription
from balcao.contracts.tests.factories import (
    BillingAccountFactory,
    ContractFactory,
    CustomerFactory,
    InstallationFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CODE = re.compile(r"Código de ativação:\s*([A-Z0-9]{5}) ?([A-Z0-9]{5})")


@pytest.fixture
def free_letter_contract():
    """Like the demo's 200002: customer 200002, account 300002, CIL 400002, no e-mail."""
    customer = CustomerFactory(customer_number="200002", name="Rosa Marques", email="")
    return ContractFactory(
        contract_number="600007",
        customer=customer,
        account=BillingAccountFactory(account_number="300002", customer=customer),
        installation=InstallationFactory(cil="400002"),
    )


def test_letter_path_from_adding_the_contract_to_its_activation(
    page, browser, live_server, login, assert_accessible, free_letter_contract
):
    newcomer = UserFactory(username="carla", email="carla.dias@example.pt", first_name="Carla")
    clerk = UserFactory(username="atendimento", is_staff=True, first_name="Carla")
    clerk.groups.add(Group.objects.get(name="Atendimento"))

    # The customer adds the contract.
    login(page, newcomer)
    page.get_by_role("navigation", name="Navegação principal").get_by_role(
        "link", name="Os meus contratos"
    ).click()
    assert_accessible(page)
    page.get_by_role("link", name="Adicionar um contrato").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Adicionar um contrato"
    assert page.get_by_label("Água e/ou Saneamento").is_checked()
    assert_accessible(page)
    page.get_by_role("button", name="Enviar para avaliação").click()
    expect(page).to_have_title(re.compile(r"^Erro:"))  # waits for the answer to the post
    assert_accessible(page)
    page.get_by_label("Instalação (CIL)").fill("400002")
    page.get_by_label("Número de cliente").fill("200002")
    page.get_by_label("Número de conta").fill("300002")
    page.get_by_label("Nome personalizado").fill("Casa da Rosa")
    page.get_by_role("button", name="Enviar para avaliação").click()
    expect(page.get_by_text("O seu pedido foi enviado para avaliação")).to_be_visible()
    expect(page.get_by_text("Em avaliação", exact=True)).to_be_visible()
    assert_accessible(page)
    request_url = page.url

    # The clerk prints the pending letters in the admin.
    staff = browser.new_context(base_url=live_server.url, locale="pt-PT", accept_downloads=True)
    staff.set_default_timeout(10_000)
    clerk_page = staff.new_page()
    login(clerk_page, clerk)
    clerk_page.goto("/admin/contracts/letter/?estado=pendente")
    expect(clerk_page.get_by_text("Rosa Marques")).to_be_visible()
    clerk_page.locator("#action-toggle").check()
    clerk_page.locator("select[name=action]").select_option("print_action")
    with clerk_page.expect_download() as download_info:
        clerk_page.locator("button[name=index]").click()
    pdf = download_info.value.path().read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "Rosa Marques" in text and "SMAS de Leiria" in text
    code = "".join(CODE.search(text).groups())
    clerk_page.goto("/admin/contracts/letter/?estado=pendente")
    assert clerk_page.get_by_text("Rosa Marques").count() == 0  # marked sent
    staff.close()

    # The customer types the letter's code.
    page.goto(request_url)
    page.get_by_label("Código de ativação").fill(f"{code[:5]} {code[5:]}")
    page.get_by_role("button", name="Validar").click()
    expect(page.get_by_text("Contrato ativado com sucesso")).to_be_visible()
    expect(page.get_by_role("heading", name="Dados de produto")).to_be_visible()
    assert page.locator("#header-contract option", has_text="Casa da Rosa").count() == 1
    assert_accessible(page)
    subscription = newcomer.subscriptions.get()
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.contract == free_letter_contract

    page.get_by_role("navigation", name="Navegação principal").get_by_role(
        "link", name="Os meus contratos"
    ).click()
    expect(page.get_by_role("cell", name="Sem faturas")).to_be_visible()
    assert_accessible(page)


def test_email_path_with_the_link_from_the_outbox(page, login, assert_accessible, mailoutbox):
    """Like the demo's 200001: the holder's e-mail is the user's confirmed e-mail."""
    customer = CustomerFactory(
        customer_number="200001", name="Novo Cliente", email="novo.cliente@example.pt"
    )
    ContractFactory(
        contract_number="600006",
        customer=customer,
        account=BillingAccountFactory(account_number="300001", customer=customer),
        installation=InstallationFactory(cil="400001"),
    )
    newcomer = UserFactory(username="novo", email="novo.cliente@example.pt", first_name="Novo")
    login(page, newcomer)
    page.goto("/contratos/adicionar/")
    page.get_by_label("Instalação (CIL)").fill("400001")
    page.get_by_label("Número de cliente").fill("200001")
    page.get_by_label("Número de conta").fill("300001")
    page.get_by_label("Nome personalizado").fill("Casa")
    page.get_by_role("button", name="Enviar para avaliação").click()
    expect(page.get_by_text("Enviámos uma ligação de ativação")).to_be_visible()
    assert_accessible(page)
    [message] = mailoutbox
    link = re.search(r"https?://\S+/contratos/ativar/\S+/", message.body).group(0)
    page.goto("/contratos/" + link.split("/contratos/", 1)[1])  # on the live server
    expect(page.get_by_text("Contrato ativado com sucesso")).to_be_visible()
    expect(page.get_by_role("heading", name="Titular do contrato")).to_be_visible()
    assert_accessible(page)


def test_detail_labels_sit_on_the_line_of_their_value(page, login, ana):
    """Detalhes do contrato: a value beside its button ("Alterar contactos", the pencil)
    stays on the line of its label, not 10 px below it."""
    contract = ana.subscriptions.get(custom_name="Casa").contract
    login(page, ana)
    page.goto(reverse("contracts:detail", args=[contract.contract_number]))
    offsets = page.evaluate(
        """() => [...document.querySelectorAll('dl.summary dd')]
          .map(dd => [dd, [...dd.childNodes].find(n => n.nodeType === 3 && n.textContent.trim())])
          .filter(([dd, text]) => text && dd.querySelector('.change-actions .button'))
          .map(([dd, text]) => {
            const dt = dd.previousElementSibling;
            const bottom = (node) => {
              const range = document.createRange();
              range.selectNodeContents(node);
              return range.getBoundingClientRect().bottom;
            };
            return [dt.innerText, Math.abs(bottom(text) - bottom(dt.firstChild))];
          })"""
    )
    assert len(offsets) >= 2 and all(offset < 2 for _, offset in offsets), offsets
