"""One way to write a link that leaves the site (e-mails, letters, reminders)."""

from django.test import RequestFactory

from balcao.core.links import absolute_url


def test_without_a_request_the_link_is_on_site_url_whatever_its_trailing_slash(settings):
    settings.SITE_URL = "https://balcao.example.pt/"
    assert absolute_url("/leituras/") == "https://balcao.example.pt/leituras/"
    settings.SITE_URL = "https://balcao.example.pt"
    assert absolute_url("/leituras/") == "https://balcao.example.pt/leituras/"


def test_with_a_request_the_link_is_on_the_address_the_user_is_on(settings):
    settings.ALLOWED_HOSTS = ["balcao.example.pt"]
    request = RequestFactory().get("/", HTTP_HOST="balcao.example.pt", secure=True)
    assert absolute_url("/conta/", request=request) == "https://balcao.example.pt/conta/"
