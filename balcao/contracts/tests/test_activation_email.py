"""The e-mail path (manual section 2, 3a): the user's confirmed e-mail is the contract's."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from balcao.contracts.models import ActivationKey, Letter, Subscription
from balcao.contracts.tests.conftest import numbers

LINK = re.compile(r"http://[^\s\"<]+/contratos/ativar/[^\s\"<]+/")


@pytest.fixture
def novo_client(client, novo):
    client.force_login(novo)
    return client


def _request(client, contract, capture):
    with capture(execute=True):
        response = client.post(reverse("contracts:add"), numbers(contract), follow=True)
    assert "O seu pedido foi enviado para avaliação" in response.content.decode()


def _link():
    [message] = mail.outbox
    assert message.to == ["novo.cliente@example.pt"]
    [url] = set(LINK.findall(message.body))
    return url.removeprefix("http://127.0.0.1:8000")


def test_link_from_the_outbox_activates_the_contract(
    novo_client, novo, email_contract, django_capture_on_commit_callbacks
):
    _request(novo_client, email_contract, django_capture_on_commit_callbacks)
    subscription = novo.subscriptions.get()
    assert subscription.activation_channel == Subscription.Channel.EMAIL
    assert not Letter.objects.exists()
    page = novo_client.get(reverse("contracts:request", args=[subscription.reference]))
    assert "Enviámos uma ligação de ativação" in page.content.decode()

    url = _link()
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert not ActivationKey.objects.filter(digest__contains=token).exists()  # stored hashed
    response = novo_client.get(url, follow=True)
    assert "Contrato ativado com sucesso" in response.content.decode()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.activated_at is not None

    # Single use: opening it again activates nothing more and says nothing new.
    again = novo_client.get(url, follow=True)
    assert "Contrato ativado com sucesso" not in again.content.decode()
    assert novo.subscriptions.filter(status=Subscription.Status.ACTIVE).count() == 1


def test_link_expires_after_24_hours(
    novo_client, novo, email_contract, django_capture_on_commit_callbacks
):
    _request(novo_client, email_contract, django_capture_on_commit_callbacks)
    url = _link()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=24, minutes=1)):
        novo_client.force_login(novo)
        response = novo_client.get(url, follow=True)
    assert "já não é válida" in response.content.decode()
    assert novo.subscriptions.get().status == Subscription.Status.AWAITING_ACTIVATION


def test_someone_elses_link_is_not_found(
    novo_client, novo, email_contract, carla, client, django_capture_on_commit_callbacks
):
    _request(novo_client, email_contract, django_capture_on_commit_callbacks)
    url = _link()
    client.force_login(carla)
    assert client.get(url).status_code == 404
    assert client.get(reverse("contracts:activate", args=["made-up-token"])).status_code == 404
    assert novo.subscriptions.get().status == Subscription.Status.AWAITING_ACTIVATION


def test_signed_out_the_link_asks_to_sign_in_first(
    novo_client, novo, email_contract, client, django_capture_on_commit_callbacks
):
    _request(novo_client, email_contract, django_capture_on_commit_callbacks)
    url = _link()
    novo_client.logout()
    response = novo_client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/conta/entrar/")
    assert novo.subscriptions.get().status == Subscription.Status.AWAITING_ACTIVATION


def test_an_unconfirmed_email_gets_a_letter_instead(
    novo_client, novo, email_contract, django_capture_on_commit_callbacks
):
    novo.email_confirmed_at = None
    novo.save()
    _request(novo_client, email_contract, django_capture_on_commit_callbacks)
    assert novo.subscriptions.get().activation_channel == Subscription.Channel.LETTER
    assert Letter.objects.count() == 1
    assert mail.outbox == []


def test_a_new_link_can_be_asked_for(
    novo_client, novo, email_contract, django_capture_on_commit_callbacks
):
    _request(novo_client, email_contract, django_capture_on_commit_callbacks)
    first = _link()
    subscription = novo.subscriptions.get()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        novo_client.force_login(novo)
        with django_capture_on_commit_callbacks(execute=True):
            novo_client.post(reverse("contracts:request_code", args=[subscription.reference]))
        second = LINK.findall(mail.outbox[-1].body)[0].removeprefix("http://127.0.0.1:8000")
        assert "já não é válida" in novo_client.get(first, follow=True).content.decode()
        response = novo_client.get(second, follow=True)
    assert "Contrato ativado com sucesso" in response.content.decode()
