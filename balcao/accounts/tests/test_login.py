"""Entrar e Sair (manual section 5): username or e-mail, one message, throttling, timeouts."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from balcao.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
WRONG = "O nome de utilizador ou a password não estão corretos."


def test_login_by_username_or_email_gets_a_new_session_id(client, ana):
    client.get(LOGIN)
    before = client.cookies.get("sessionid")
    response = client.post(LOGIN, {"username": "ANA", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.cookies["sessionid"].value != (before.value if before else None)
    client.post(reverse("accounts:logout"))
    response = client.post(LOGIN, {"username": "Ana.Silva@example.pt", "password": PASSWORD})
    assert response.status_code == 302


def test_wrong_credentials_get_one_message_whether_or_not_the_user_exists(client, ana):
    wrong_password = client.post(LOGIN, {"username": "ana", "password": "outra coisa"})
    no_such_user = client.post(LOGIN, {"username": "ninguem", "password": "outra coisa"})
    assert WRONG in wrong_password.content.decode()
    assert WRONG in no_such_user.content.decode()
    assert "<title>Erro:" in no_such_user.content.decode()


def test_sixth_attempt_is_refused_and_works_after_the_cool_off(client, ana, settings):
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        # Case and e-mail instead of username do not buy more attempts.
        for username in ("ana", "ANA", "Ana.Silva@example.pt", "ana ", "ana"):
            client.post(LOGIN, {"username": username, "password": "errada"})
        response = client.post(LOGIN, {"username": "ana", "password": PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "Demasiadas tentativas falhadas" in page
    assert "a partir das 10:15" in page  # Lisbon is UTC in March
    assert "_auth_user_id" not in client.session

    # Another username from the same address is not held back.
    bruno = UserFactory(username="bruno2")
    with time_machine.travel(start + datetime.timedelta(minutes=1), tick=False):
        assert client.post(LOGIN, {"username": "bruno2", "password": PASSWORD}).status_code == 302
        client.post(reverse("accounts:logout"))

    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        response = client.post(LOGIN, {"username": "ana", "password": PASSWORD})
        assert response.status_code == 429
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1)):
        response = client.post(LOGIN, {"username": "ana", "password": PASSWORD})
        assert response.status_code == 302, response.content.decode()
        assert response["Location"] == reverse("portal:home")
        assert int(client.session["_auth_user_id"]) == ana.pk
    assert bruno.pk != ana.pk


def test_idle_session_ends(client, ana, settings):
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.post(LOGIN, {"username": "ana", "password": PASSWORD})
        assert client.get(reverse("accounts:profile")).status_code == 200
    idle = datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 60)
    with time_machine.travel(start + idle, tick=False):
        response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_busy_session_still_ends_at_the_absolute_limit(client, ana, settings):
    start = datetime.datetime(2026, 3, 2, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        client.post(LOGIN, {"username": "ana", "password": PASSWORD})
    step = datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 60)
    elapsed = datetime.timedelta()
    while elapsed + step < datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE):
        elapsed += step
        with time_machine.travel(start + elapsed, tick=False):
            assert client.get(reverse("accounts:profile")).status_code == 200
    with time_machine.travel(start + elapsed + step, tick=False):
        response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_inactive_account_gets_the_same_message(client):
    UserFactory(username="inativo", is_active=False)
    response = client.post(LOGIN, {"username": "inativo", "password": PASSWORD})
    assert WRONG in response.content.decode()
