"""Modificar Password (manual section 4): no reuse, minimum 8, other sessions end, e-mail."""

import pytest
from django.core import mail
from django.urls import reverse

from balcao.accounts.models import AccountEvent, UserSession
from balcao.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:password_change")
LOGIN = reverse("accounts:login")


def _login(client, username="ana", password=PASSWORD):
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302
    return client


def _change(client, old, new):
    return client.post(
        CHANGE, {"old_password": old, "new_password1": new, "new_password2": new}, follow=True
    )


def test_change_keeps_this_session_ends_the_others_and_mails(client, ana, django_user_model):
    phone = _login(client.__class__())
    _login(client)
    page = client.get(CHANGE).content.decode()
    assert "Password antiga" in page and "Submeter" in page
    response = _change(client, PASSWORD, "cascata do rio Lis")
    assert "A sua password foi alterada" in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 200  # this one stays
    assert phone.get(reverse("accounts:profile")).status_code == 302  # the other ended
    assert UserSession.objects.filter(user=ana).count() == 1
    assert [m.subject for m in mail.outbox] == ["A sua password do Balcão Digital foi alterada"]
    ana.refresh_from_db()
    assert ana.check_password("cascata do rio Lis")
    assert ana.events.filter(kind=AccountEvent.Kind.PASSWORD_CHANGED).count() == 1


def test_an_earlier_password_is_refused(client, ana):
    _login(client)
    _change(client, PASSWORD, "cascata do rio Lis")
    _change(client, "cascata do rio Lis", "castelo de Leiria ao sol")
    response = _change(client, "castelo de Leiria ao sol", PASSWORD)
    assert "Já usou esta password" in response.content.decode()
    response = _change(client, "castelo de Leiria ao sol", "cascata do rio Lis")
    assert "Já usou esta password" in response.content.decode()
    ana.refresh_from_db()
    assert ana.check_password("castelo de Leiria ao sol")


def test_short_common_and_wrong_old_password_are_refused(client, ana):
    _login(client)
    page = _change(client, PASSWORD, "Lis2026").content.decode()
    assert "A password é demasiado curta: tem de ter pelo menos 8 carateres" in page
    page = _change(client, PASSWORD, "password1").content.decode()
    assert "Esta password é demasiado comum" in page
    page = _change(client, "não é esta", "cascata do rio Lis").content.decode()
    assert "A password antiga não está correta" in page
    ana.refresh_from_db()
    assert ana.check_password(PASSWORD)
    assert not mail.outbox
