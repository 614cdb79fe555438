"""Where a form's ``next`` may send the user: only back to a page of the portal."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CHOOSE = "/contrato-selecionado/"


def test_a_local_next_is_followed(ana_client):
    response = ana_client.post(CHOOSE, {"contract": "x", "next": "/leituras/"})
    assert response["Location"] == "/leituras/"


@pytest.mark.parametrize(
    "target",
    [
        "foo",  # was a NoReverseMatch (500): redirect() took it for a view name
        "portal:invoices",
        "https://evil.example/",
        "//evil.example/",
        "//",  # found by the fuzz suite: Django's check lets it through
        "/\\evil.example/",
        "javascript:alert(1)",
        "/leituras/\r\nSet-Cookie: x=1",
        "\x00/",
        "",
    ],
)
def test_anything_else_goes_home(ana_client, target):
    response = ana_client.post(CHOOSE, {"contract": "x", "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")


def test_staff_login_through_the_portal_keeps_only_a_local_next(client):
    response = client.get("/admin/login/", {"next": "foo"})
    assert response["Location"] == f"{reverse('accounts:login')}?next=%2Fadmin%2F"
