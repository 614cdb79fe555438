"""Two-factor login (TOTP + recovery codes): optional for customers, required for staff."""

import re

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from balcao.accounts.models import AccountEvent
from balcao.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SETUP = reverse("accounts:otp_setup")
VERIFY = reverse("accounts:otp_verify")


def code_for(device, offset=0) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{code:06d}"


def forget_failures(user):
    """django-otp throttles a device for a moment after a wrong code: the test does not wait."""
    for model in (TOTPDevice, StaticDevice):
        model.objects.filter(user=user).update(
            throttling_failure_count=0, throttling_failure_timestamp=None
        )


def _login(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_customer_turns_it_on_then_login_asks_for_a_code(client, ana):
    _login(client, "ana")
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and "Validar" in page
    device = TOTPDevice.objects.get(user=ana, confirmed=False)
    response = client.post(SETUP, {"token": "000000" if code_for(device) != "000000" else "111111"})
    assert "Este código não está certo" in response.content.decode()
    forget_failures(ana)
    response = client.post(SETUP, {"token": code_for(device)})
    codes = re.findall(r"<code>([a-z0-9]+)</code>", response.content.decode())
    assert len(codes) == 10
    assert ana.events.filter(kind=AccountEvent.Kind.OTP_ENABLED).exists()
    client.post(reverse("accounts:logout"))

    response = _login(client, "ana")
    assert response.status_code == 302
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.get(reverse("accounts:profile"))["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"token": "123", "next": "/conta/perfil/"})
    assert "Este código não está certo" in response.content.decode()
    forget_failures(ana)
    # A recovery code works once.
    response = client.post(VERIFY, {"token": codes[0], "next": "/conta/perfil/"})
    assert response.status_code == 302 and response["Location"] == "/conta/perfil/"
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()


def test_customer_without_it_is_not_asked(client, ana):
    _login(client, "ana")
    assert client.get(reverse("portal:home")).status_code == 200


def test_totp_required_for_staff(client, clerk, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    _login(client, "atendimento")
    # The back office refuses staff without a verified code: sent to set one up.
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    assert client.get(reverse("portal:home"))["Location"].startswith(SETUP)
    page = client.get(SETUP).content.decode()
    assert "A sua conta é de funcionário" in page
    device = TOTPDevice.objects.get(user=clerk)
    client.post(SETUP, {"token": code_for(device)})
    assert client.get("/admin/").status_code == 200
    # Staff may not turn it off.
    client.post(reverse("accounts:otp_disable"), {"password": PASSWORD})
    assert TOTPDevice.objects.filter(user=clerk, confirmed=True).exists()
    client.post(reverse("accounts:logout"))

    _login(client, "atendimento")
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    device.refresh_from_db()
    # The same time step again would be refused as a replay: use the next one.
    response = client.post(VERIFY, {"token": code_for(device, offset=1), "next": "/admin/"})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_named_in_the_exemption_are_not_asked(client, clerk, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    settings.OTP_EXEMPT_USERNAMES = ["atendimento"]
    _login(client, "atendimento")
    assert client.get("/admin/").status_code == 200


def test_staff_not_asked_when_the_setting_is_off(client, clerk, settings):
    settings.OTP_REQUIRED_FOR_STAFF = False
    _login(client, "atendimento")
    assert client.get("/admin/").status_code == 200


def test_customer_turns_it_off_with_the_password_and_a_current_code(client, ana):
    _login(client, "ana")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=ana)
    client.post(SETUP, {"token": code_for(device)})
    disable = reverse("accounts:otp_disable")
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert 'name="token"' in page and 'name="password"' in page
    response = client.post(disable, {"password": "errada", "token": code_for(device, 1)})
    assert "A password não está correta" in response.content.decode()
    # The password alone (stolen or guessed) does not turn the second step off.
    response = client.post(disable, {"password": PASSWORD})
    assert "Indique o código." in response.content.decode()
    response = client.post(disable, {"password": PASSWORD, "token": "000000"})
    assert "Este código não está certo" in response.content.decode()
    assert TOTPDevice.objects.filter(user=ana, confirmed=True).exists()
    forget_failures(ana)
    client.post(disable, {"password": PASSWORD, "token": code_for(device, 1)})
    assert not TOTPDevice.objects.filter(user=ana).exists()
    assert ana.events.filter(kind=AccountEvent.Kind.OTP_DISABLED).exists()


def test_a_recovery_code_also_turns_it_off(client, ana):
    _login(client, "ana")
    client.get(SETUP)
    response = client.post(SETUP, {"token": code_for(TOTPDevice.objects.get(user=ana))})
    codes = re.findall(r"<code>([a-z0-9]+)</code>", response.content.decode())
    client.post(reverse("accounts:otp_disable"), {"password": PASSWORD, "token": codes[3]})
    assert not TOTPDevice.objects.filter(user=ana).exists()


def test_turning_it_on_ends_the_other_sessions(client, ana):
    from django.test import Client

    elsewhere = Client()
    _login(elsewhere, "ana")
    assert elsewhere.get(reverse("accounts:profile")).status_code == 200
    _login(client, "ana")
    client.get(SETUP)
    response = client.post(SETUP, {"token": code_for(TOTPDevice.objects.get(user=ana))})
    assert "As outras sessões abertas com a sua conta terminaram" in response.content.decode()
    assert client.get(reverse("accounts:profile")).status_code == 200
    response = elsewhere.get(reverse("accounts:profile"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_staff_sign_in_to_the_admin_through_the_portal_login(client, clerk, ana):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/conta/entrar/?next=%2Fadmin%2F"
    response = client.post(
        "/conta/entrar/?next=/admin/",
        {"username": "atendimento", "password": PASSWORD, "next": "/admin/"},
    )
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    client.post(reverse("accounts:logout"))
    client.force_login(ana)
    assert client.get("/admin/login/?next=/admin/").status_code == 403
