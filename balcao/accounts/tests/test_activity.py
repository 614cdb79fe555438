"""Atividade da conta and "Terminar as outras sessões"."""

import pytest
from django.urls import reverse

from balcao.accounts.devices import describe_user_agent
from balcao.accounts.models import AccountEvent, UserSession
from balcao.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

CHROME_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36"
)
FIREFOX_ANDROID = "Mozilla/5.0 (Android 14; Mobile; rv:131.0) Gecko/131.0 Firefox/131.0"


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (CHROME_WINDOWS, "Chrome em Windows"),
        (FIREFOX_ANDROID, "Firefox em Android"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
            "Safari em iOS",
        ),
        (CHROME_WINDOWS + " Edg/130.0.0.0", "Edge em Windows"),
        ("", "Dispositivo desconhecido"),
    ],
)
def test_device_names(user_agent, expected):
    assert describe_user_agent(user_agent) == expected


def test_logins_are_listed_with_the_device(client, ana):
    client.post(
        reverse("accounts:login"),
        {"username": "ana", "password": PASSWORD},
        HTTP_USER_AGENT=CHROME_WINDOWS,
    )
    page = client.get(reverse("accounts:activity")).content.decode()
    assert "Entrada no Balcão Digital" in page and "Chrome em Windows" in page
    assert "<caption>" in page and 'scope="col"' in page


def test_end_the_other_sessions(client, ana):
    phone = client.__class__(HTTP_USER_AGENT=FIREFOX_ANDROID)
    phone.post(reverse("accounts:login"), {"username": "ana", "password": PASSWORD})
    client.post(reverse("accounts:login"), {"username": "ana", "password": PASSWORD})
    assert UserSession.objects.filter(user=ana).count() == 2
    page = client.get(reverse("accounts:activity")).content.decode()
    assert "há 1 outra sessão aberta" in page
    response = client.post(reverse("accounts:end_other_sessions"), follow=True)
    assert "As outras sessões terminaram (1)" in response.content.decode()
    assert phone.get(reverse("accounts:profile")).status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert ana.events.filter(kind=AccountEvent.Kind.SESSIONS_ENDED).exists()


def test_logout_forgets_the_session(client, ana):
    client.post(reverse("accounts:login"), {"username": "ana", "password": PASSWORD})
    client.post(reverse("accounts:logout"))
    assert not UserSession.objects.filter(user=ana).exists()
