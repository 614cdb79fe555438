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


PROXY = "10.0.0.1"  # our TLS proxy: every request reaches the application from it


def _through_proxy(client, client_address, username, password, spoofed=""):
    """A login through the proxy, which appends the client's address to X-Forwarded-For."""
    forwarded = f"{spoofed}, {client_address}" if spoofed else client_address
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_the_proxy_the_owner_signs_in_while_the_attacker_is_held_back(client, ana, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # BEHIND_TLS_PROXY=1
    for number in range(settings.AXES_FAILURE_LIMIT):
        # Whatever the attacker writes in the header, the proxy's entry is the one that counts.
        _through_proxy(client, "203.0.113.66", "ana", "errada", spoofed=f"198.51.100.{number}")
    assert _through_proxy(client, "203.0.113.66", "ana", PASSWORD).status_code == 429

    response = _through_proxy(client, "192.0.2.10", "ana", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert int(client.session["_auth_user_id"]) == ana.pk


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, ana, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0  # BEHIND_TLS_PROXY off (the tests' default)
    for number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "ana", "password": "errada"},
            REMOTE_ADDR="203.0.113.66",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )
    response = client.post(
        LOGIN,
        {"username": "ana", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.66",
        HTTP_X_FORWARDED_FOR="192.0.2.10",
    )
    assert response.status_code == 429


def test_one_address_trying_many_usernames_is_held_back(client, ana, bruno, settings):
    attacker = {"REMOTE_ADDR": "203.0.113.66"}
    for number in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        client.post(LOGIN, {"username": f"vitima{number}", "password": "Benfica1904"}, **attacker)
    # Signing in to one's own account does not wipe the address's count.
    assert client.post(LOGIN, {"username": "bruno", "password": PASSWORD}, **attacker).status_code
    client.post(reverse("accounts:logout"))
    client.post(LOGIN, {"username": "mais-uma", "password": "Benfica1904"}, **attacker)

    response = client.post(LOGIN, {"username": "ana", "password": PASSWORD}, **attacker)
    assert response.status_code == 429
    assert "Demasiadas tentativas falhadas" in response.content.decode()
    other = client.post(LOGIN, {"username": "ana", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10")
    assert other.status_code == 302
