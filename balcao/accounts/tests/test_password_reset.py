"""Esqueceu-se da Palavra-Chave? A single-use link valid 1 hour, never a mailed password."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from balcao.accounts.models import AccountEvent, UserSession
from balcao.accounts.tests.conftest import link_in_last_mail
from balcao.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

RESET = reverse("accounts:password_reset")
NEW = "agua da fonte luminosa"


def _follow_link_and_set(client, link, password=NEW):
    response = client.get(link)  # Django moves the token into the session, then redirects
    assert response.status_code == 302
    form_url = response["Location"]
    return client.post(
        form_url, {"new_password1": password, "new_password2": password}, follow=True
    )


def test_same_answer_whether_or_not_the_address_exists(client, ana):
    known = client.post(RESET, {"email": "ana.silva@example.pt"}, follow=True)
    unknown = client.post(RESET, {"email": "ninguem@example.pt"}, follow=True)
    assert known.content.decode().count("Se o e-mail que indicou estiver registado") == 1
    assert unknown.content.decode().count("Se o e-mail que indicou estiver registado") == 1
    assert known.redirect_chain == unknown.redirect_chain
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana.silva@example.pt"]
    assert PASSWORD not in mail.outbox[0].body  # a link, never a password


def test_reset_link_is_single_use_and_ends_sessions(client, ana, django_user_model):
    other = client.__class__()
    other.force_login(ana)
    client.post(RESET, {"email": "ANA.SILVA@example.pt"})
    link = link_in_last_mail("ana.silva@example.pt")
    response = _follow_link_and_set(client, link)
    assert "A sua password foi definida" in response.content.decode()
    ana.refresh_from_db()
    assert ana.check_password(NEW)
    assert ana.events.filter(kind=AccountEvent.Kind.PASSWORD_RESET).exists()
    assert ana.password_history.count() == 1
    assert not UserSession.objects.filter(user=ana).exists()
    assert other.get(reverse("accounts:profile")).status_code == 302

    response = client.get(link, follow=True)
    assert "Esta ligação já foi usada ou expirou" in response.content.decode()


def test_reset_link_expires_after_one_hour(client, ana):
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.post(RESET, {"email": "ana.silva@example.pt"})
        link = link_in_last_mail()
    with time_machine.travel(start + datetime.timedelta(minutes=59), tick=False):
        assert client.get(link).status_code == 302  # still valid
    with time_machine.travel(start + datetime.timedelta(minutes=61), tick=False):
        response = client.get(link, follow=True)
    assert "Esta ligação já foi usada ou expirou" in response.content.decode()
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD)


def test_the_same_password_rules_hold_in_reset(client, ana):
    client.post(RESET, {"email": "ana.silva@example.pt"})
    response = _follow_link_and_set(client, link_in_last_mail(), password=PASSWORD)
    assert "Já usou esta password" in response.content.decode()
    response = client.post(
        response.request["PATH_INFO"], {"new_password1": "curta", "new_password2": "curta"}
    )
    assert 'id="id_new_password1_error"' in response.content.decode()
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD)


def test_at_most_five_links_an_hour_to_one_address(client, ana):
    for _ in range(7):
        response = client.post(RESET, {"email": "ana.silva@example.pt"}, follow=True)
        assert "Se o e-mail que indicou estiver registado" in response.content.decode()
    assert len(mail.outbox) == 5
