"""The headers every response carries (issue 9, item 7): CSP, Permissions-Policy, no-store."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

STRICT_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response) -> dict[str, str]:
    directives = (part.strip() for part in response["Content-Security-Policy"].split(";"))
    return dict(d.split(" ", 1) for d in directives if d)


def assert_strict_headers(response):
    csp = policy(response)
    for directive, value in STRICT_CSP.items():
        assert csp[directive] == value, (directive, csp)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


@pytest.mark.parametrize("url_name", ["accounts:login", "portal:accessibility"])
def test_a_public_page_has_the_policy(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert_strict_headers(response)


def test_a_public_page_read_anonymously_may_be_cached(client):
    response = client.get(reverse("portal:terms"))

    assert "no-store" not in response.get("Cache-Control", "")


def test_the_same_public_page_signed_in_is_no_store(ana_client):
    response = ana_client.get(reverse("portal:terms"))

    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "url_name",
    ["portal:home", "accounts:profile", "accounts:my_data", "contracts:list", "readings:index"],
)
def test_every_signed_in_page_is_no_store(ana_client, url_name):
    response = ana_client.get(reverse(url_name))

    assert response.status_code in (200, 302)
    assert_strict_headers(response)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("url_name", ["accounts:export_json", "accounts:export_csv"])
def test_the_data_exports_are_no_store(ana_client, url_name):
    response = ana_client.get(reverse(url_name))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Permissions-Policy" in response


def test_the_admin_is_under_the_same_policy(client, clerk):
    client.force_login(clerk)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert_strict_headers(response)
    assert "no-store" in response["Cache-Control"]


def test_no_template_has_inline_script_or_style():
    """Pages are served under script-src/style-src 'self': inline code would be refused.

    E-mail templates are not web pages (no CSP applies in a mail reader).
    """
    import re
    from pathlib import Path

    from django.conf import settings

    inline = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|<style|\sstyle=|\son\w+=")
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        if "emails" not in path.parts and inline.search(path.read_text())
    ]
    assert offenders == []
