"""Registo no Balcão Digital in two steps, and the e-mail confirmation (manual section 2)."""

import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from balcao.accounts.models import AccountEvent, User
from balcao.accounts.tests.conftest import link_in_last_mail
from balcao.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STEP1 = reverse("accounts:register")
STEP2 = reverse("accounts:register_access")


def test_entry_page_links_to_registration(client):
    response = client.get(reverse("accounts:login"))
    assert "Não está registado? Registe-se agora" in response.content.decode()
    assert STEP1 in response.content.decode()


def test_two_steps_store_nothing_until_finalizar_then_confirm_and_login(
    client, step1_data, step2_data, settings
):
    page = client.get(STEP1).content.decode()
    assert "Passo 1 de 2" in page and "Passo Seguinte" in page
    response = client.post(STEP1, step1_data)
    assert response.status_code == 302 and response["Location"] == STEP2
    assert not User.objects.exists()

    # Back to step 1: what it received is still there.
    page = client.get(STEP1).content.decode()
    assert 'value="Ferreira Lopes"' in page and 'value="501964843"' in page

    page = client.get(STEP2).content.decode()
    assert "Passo 2 de 2" in page and "Finalizar" in page and "Ver termos e condições" in page
    response = client.post(STEP2, step2_data, follow=True)
    assert "Registo concluído" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("accounts:login")

    user = User.objects.get(username="joana")
    assert user.email == "joana.lopes@example.pt"
    assert (user.first_name, user.last_name, user.nif) == ("Joana", "Ferreira Lopes", "501964843")
    assert user.address.postal_locality == "LEIRIA"
    assert user.terms_version == settings.TERMS_VERSION and user.terms_accepted_at is not None
    assert user.email_confirmed_at is None
    assert not user.subscriptions.exists()

    # Before confirming, the login is refused with a message that says what to do.
    response = client.post(
        reverse("accounts:login"), {"username": "joana", "password": step2_data["password1"]}
    )
    assert "Ainda não confirmou o seu e-mail" in response.content.decode()

    link = link_in_last_mail("joana.lopes@example.pt")
    response = client.get(link, follow=True)
    assert "E-mail confirmado" in response.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed_at is not None

    # The link is single-use.
    response = client.get(link, follow=True)
    assert "já foi usada ou expirou" in response.content.decode()

    response = client.post(
        reverse("accounts:login"),
        {"username": "JOANA.LOPES@example.pt", "password": step2_data["password1"]},
    )
    assert response.status_code == 302
    assert user.events.filter(kind=AccountEvent.Kind.LOGIN).exists()


def test_step1_messages_next_to_each_field(client, step1_data):
    data = {**step1_data, "nif": "501964842", "postal_code": "2400137x", "first_name": ""}
    response = client.post(STEP1, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Erro:" in page
    assert "Este NIF não é válido" in page
    assert "NNNN-NNN" in page
    assert 'id="id_first_name_error"' in page
    assert "registration_personal" not in client.session


def test_step2_validates_every_field(client, step1_data):
    UserFactory(username="Joana", email="JOANA.LOPES@example.pt")
    client.post(STEP1, step1_data)
    response = client.post(
        STEP2,
        {
            "email": "joana.lopes@example.pt",
            "username": "joana",
            "password1": "abc",
            "password2": "abd",
        },
    )
    page = response.content.decode()
    assert "Este e-mail já está registado" not in page  # the page never says (see below)
    assert "Este nome de utilizador já existe" in page
    assert "As duas passwords não são iguais" in page
    assert "aceite os termos e condições" in page
    assert User.objects.count() == 1


def test_password_rules_hold_in_registration(client, step1_data, step2_data):
    client.post(STEP1, step1_data)
    for password, message in [
        ("curta7!", "pelo menos 8 carateres"),
        ("password123", "demasiado comum"),
        ("joana2026", "demasiado parecida com o seu nome de utilizador"),
    ]:
        data = {**step2_data, "password1": password, "password2": password}
        page = client.post(STEP2, data).content.decode()
        assert 'id="id_password1_error"' in page, password
        assert message in page, password
    assert not User.objects.filter(username="joana").exists()
    long_phrase = "uma frase longa " * 4  # 64 characters are welcome (NIST 800-63B)
    data = {**step2_data, "password1": long_phrase, "password2": long_phrase}
    assert client.post(STEP2, data).status_code == 302


def test_step2_without_step1_goes_back_to_step1(client):
    response = client.get(STEP2)
    assert response["Location"] == STEP1


def test_confirmation_link_expires(client, step1_data, step2_data):
    with time_machine.travel("2026-03-01 10:00 +0000", tick=False):
        client.post(STEP1, step1_data)
        client.post(STEP2, step2_data)
        link = link_in_last_mail()
    with time_machine.travel("2026-03-05 10:00 +0000", tick=False):
        response = client.get(link, follow=True)
    assert "já foi usada ou expirou" in response.content.decode()
    assert User.objects.get(username="joana").email_confirmed_at is None


def test_new_confirmation_link_and_same_answer_for_unknown_address(client):
    user = UserFactory(email="nova@example.pt", email_confirmed_at=None)
    url = reverse("accounts:resend_confirmation")
    known = client.post(url, {"email": "nova@example.pt"}, follow=True)
    assert len(mail.outbox) == 1
    unknown = client.post(url, {"email": "ninguem@example.pt"}, follow=True)
    assert len(mail.outbox) == 1
    message = "Se este e-mail pertencer a um registo por confirmar"
    assert message in known.content.decode() and message in unknown.content.decode()
    client.get(link_in_last_mail("nova@example.pt"))
    user.refresh_from_db()
    assert user.email_confirmed


def test_a_registered_email_gets_the_same_answer_and_its_owner_a_reset_link(
    client, step1_data, step2_data
):
    owner = UserFactory(username="joana1990", email="joana.lopes@example.pt")
    client.post(STEP1, step1_data)
    response = client.post(STEP2, {**step2_data, "email": "JOANA.LOPES@example.pt"}, follow=True)
    page = response.content.decode()
    assert "Registo concluído" in page and "já está registado" not in page
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert list(User.objects.values_list("username", flat=True)) == [owner.username]

    message = mail.outbox[-1]
    assert message.to == ["joana.lopes@example.pt"]
    assert "já existe uma conta" in message.body
    assert "Joana" not in message.body  # nothing the person registering typed
    response = client.get(link_in_last_mail("joana.lopes@example.pt"), follow=True)
    assert "Nova password" in response.content.decode()


def test_step2_is_throttled_per_address(client, step1_data, step2_data):
    for number in range(20):
        UserFactory(username=f"nome{number}")
    client.post(STEP1, step1_data)
    attacker = {"REMOTE_ADDR": "203.0.113.66"}
    for number in range(20):
        page = client.post(STEP2, {**step2_data, "username": f"nome{number}"}, **attacker)
        assert "Este nome de utilizador já existe" in page.content.decode()
    response = client.post(STEP2, step2_data, **attacker)
    assert response.status_code == 429
    assert "Demasiadas tentativas de registo a partir deste endereço" in response.content.decode()
    assert not User.objects.filter(username="joana").exists()

    response = client.post(STEP2, step2_data, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302
    assert User.objects.filter(username="joana").exists()


def test_two_registrations_of_one_username_at_once_get_the_forms_message(
    client, step1_data, step2_data, monkeypatch
):
    """The other registration commits between this one's checks and its insert."""
    original = User.full_clean

    def full_clean_then_the_other_commits(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if not User.objects.filter(username__iexact="joana").exists():
            UserFactory(username="Joana", email="outra.joana@example.pt")

    monkeypatch.setattr(User, "full_clean", full_clean_then_the_other_commits)
    client.post(STEP1, step1_data)
    response = client.post(STEP2, step2_data)
    assert response.status_code == 200
    assert "Este nome de utilizador já existe" in response.content.decode()
    assert not User.objects.filter(email="joana.lopes@example.pt").exists()


def test_login_before_confirming_says_it_once_and_links_to_a_new_link(client, settings):
    """The error once (the summary), and "peça uma nova ligação" leads to a new link, sent
    within the mail limit of the address."""
    from balcao.accounts.services import MAILS_PER_ADDRESS_PER_HOUR
    from balcao.accounts.tests.factories import UserFactory

    UserFactory(
        username="rita", email="rita@example.pt", email_confirmed_at=None, password="Leiria-2026!x"
    )
    response = client.post(
        reverse("accounts:login"), {"username": "rita", "password": "Leiria-2026!x"}
    )

    html = response.content.decode()
    assert html.count("Ainda não confirmou o seu e-mail") == 1
    link = re.search(r'<a href="([^"]+)">peça uma nova ligação</a>', html).group(1)
    page = client.get(link.replace("&amp;", "&")).content.decode()
    assert 'value="rita@example.pt"' in page

    mail.outbox.clear()
    for _ in range(MAILS_PER_ADDRESS_PER_HOUR + 2):
        client.post(reverse("accounts:resend_confirmation"), {"email": "rita@example.pt"})
    assert 1 <= len(mail.outbox) <= MAILS_PER_ADDRESS_PER_HOUR
    assert mail.outbox[0].to == ["rita@example.pt"]
