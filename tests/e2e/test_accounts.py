"""Accounts in a browser: register, confirm the e-mail, log in, change the password, log out."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from balcao.accounts.models import User
from balcao.accounts.tests.factories import UserFactory
from balcao.core.territory import ensure_territory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "o castelo sobre o Lis"
NEW_PASSWORD = "ponte de Cristo ao luar"


def _label(page, text):
    return page.get_by_label(text, exact=True)


def test_register_confirm_login_change_password_logout(page, assert_accessible):
    ensure_territory()  # an earlier transactional test may have flushed the loaded territory
    page.goto("/conta/entrar/")
    assert_accessible(page)
    page.get_by_role("link", name="Não está registado? Registe-se agora").click()

    # Step 1: a mistake first, then the data.
    page.get_by_role("button", name="Passo Seguinte").click()
    expect(page).to_have_title(re.compile("^Erro:"))
    expect(page.get_by_role("heading", name="Há um problema")).to_be_visible()
    assert_accessible(page)
    _label(page, "Nome").fill("Joana")
    _label(page, "Apelidos").fill("Ferreira Lopes")
    _label(page, "NIF").fill("501964843")
    _label(page, "Telemóvel (opcional)").fill("912345678")
    _label(page, "Rua").fill("Rua Barão de Viamonte")
    _label(page, "Porta (opcional)").fill("7")
    _label(page, "Código postal").fill("2400-137")
    _label(page, "Localidade postal").fill("Leiria")
    _label(page, "Distrito").select_option(label="Leiria")
    _label(page, "Concelho").select_option(label="Leiria")
    _label(page, "Localidade (opcional)").fill("Leiria")
    page.get_by_role("button", name="Passo Seguinte").click()

    # Step 2.
    expect(page.get_by_text("Passo 2 de 2")).to_be_visible()
    assert_accessible(page)
    _label(page, "E-mail").fill("joana.lopes@example.pt")
    _label(page, "Nome de utilizador").fill("joana")
    _label(page, "Password").fill(PASSWORD)
    _label(page, "Confirme a password").fill(PASSWORD)
    # The manual's screen: the terms under their own heading, "Termos e condições de
    # utilização do portal", with the box to tick and the link to read them.
    terms = page.get_by_role("group", name="Termos e condições de utilização do portal")
    expect(terms.get_by_role("link", name="Ver termos e condições")).to_be_visible()
    terms.get_by_label("Aceitar os termos e condições de utilização do portal").check()
    page.get_by_role("button", name="Finalizar").click()
    expect(page.get_by_text("Registo concluído")).to_be_visible()
    page.wait_for_load_state()
    assert User.objects.get(username="joana").email_confirmed_at is None

    # Confirm the address with the link from the e-mail.
    confirmation = [m for m in mail.outbox if m.to == ["joana.lopes@example.pt"]][-1]
    link = re.search(r"https?://\S+", confirmation.body).group(0)
    page.goto(link)
    expect(page.get_by_text("E-mail confirmado")).to_be_visible()

    _label(page, "Nome de utilizador ou e-mail").fill("joana")
    _label(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.get_by_role("navigation", name="Navegação principal").get_by_role(
        "link", name="O meu perfil"
    ).click()
    expect(page.get_by_role("heading", name="O Meu Perfil")).to_be_visible()
    expect(page.get_by_text("Ferreira Lopes")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Modificar Password").click()
    expect(page.get_by_role("heading", name="Modificar Password")).to_be_visible()
    assert_accessible(page)
    _label(page, "Password antiga").fill(PASSWORD)
    _label(page, "Nova password").fill(NEW_PASSWORD)
    _label(page, "Confirme a nova password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Submeter").click()
    expect(page.get_by_text("A sua password foi alterada")).to_be_visible()
    assert mail.outbox[-1].subject == "A sua password do Balcão Digital foi alterada"

    page.get_by_role("button", name="Sair").click()
    expect(page.get_by_role("heading", name="Entrar no Balcão Digital")).to_be_visible()
    assert User.objects.get(username="joana").check_password(NEW_PASSWORD)


def test_account_pages_are_accessible(page, login, assert_accessible):
    user = UserFactory(username="maria")
    for path in ("/conta/recuperar-password/", "/conta/confirmar-email/"):
        page.goto(path)
        assert_accessible(page)
    login(page, user)
    for path in (
        "/conta/perfil/titular/",
        "/conta/perfil/morada/",
        "/conta/perfil/email/",
        "/conta/atividade/",
        "/conta/dois-passos/",
        "/conta/dois-passos/ativar/",
        "/conta/os-meus-dados/",
        "/conta/encerrar/",
    ):
        page.goto(path)
        assert page.get_by_role("heading", level=1).count() == 1, path
        assert_accessible(page)


def test_two_factor_pages_are_accessible(page, login, assert_accessible):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = UserFactory(username="rui")
    login(page, user)
    page.goto("/conta/dois-passos/ativar/")
    device = TOTPDevice.objects.get(user=user)
    _label(page, "Código").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Validar").click()
    expect(page.get_by_role("heading", name="Códigos de recuperação")).to_be_visible()
    assert_accessible(page)
    page.goto("/conta/dois-passos/")
    assert_accessible(page)
    page.locator("#id_password").fill("não é esta")  # the disable form, with the wrong password
    page.get_by_role("button", name="Desativar a verificação em dois passos").click()
    expect(page).to_have_title(re.compile("^Erro:"))
    expect(page.get_by_role("heading", name="Há um problema")).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("button", name="Sair").click()
    login(page, user)
    expect(page.get_by_role("heading", name="Verificação em dois passos")).to_be_visible()
    assert_accessible(page)
