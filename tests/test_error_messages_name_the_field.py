"""Every error names its field and says what to do ("Escolha a freguesia."), never "Este campo
é obrigatório." (GOV.UK, STYLE.md). Each form of the portal is posted empty as a user would send
it: only the hidden values its page carries (the key of the submission), nothing typed."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from balcao.core.territory import ensure_territory
from balcao.service_requests.models import TYPES_ONLY_FROM_AN_INVOICE, RequestType

pytestmark = pytest.mark.django_db

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
FIELD_ERROR = re.compile(
    r'<label for="id_(\w+)">([^<]*)</label>.*?<p class="error-message" id="id_\1_error">'
    r'<span class="visually-hidden">[^<]*</span> ([^<]*)</p>',
    re.S,
)
# The forms' own messages, written next to their field, that say it in other words.
KEPT = {
    "Indique um nome para este contrato, por exemplo Casa.",
    "Indique a leitura do contador em m³.",
}
GENERIC = ("Este campo é obrigatório", "This field is required")


def post_empty(client, url):
    page = client.get(url).content.decode()
    data = {
        name: value
        for name, value in HIDDEN.findall(page)
        if name not in ("next", "confirming", "language")
    }
    return client.post(url, data)


def assert_errors_name_their_fields(response, url):
    html = html_lib.unescape(response.content.decode())
    assert response.status_code == 200, url
    for generic in GENERIC:
        assert generic not in html, f"{url}: {generic!r}"
    errors = FIELD_ERROR.findall(html)
    for name, label, message in errors:
        words = re.sub(r"\s*\(opcional\)$", "", label.strip()).rstrip(":").lower()
        if message in KEPT or words.startswith(("li e aceito", "aceitar", "pretende")):
            continue  # a sentence as label: the message says what to do in its own words
        assert words in message.lower(), f"{url}: {name!r} says {message!r}, not {label!r}"
    return errors


CUSTOMER_PAGES = [
    "accounts:edit_holder",
    "accounts:edit_address",
    "accounts:change_email",
    "accounts:password_change",
    "accounts:close_account",
    "contracts:add",
]


@pytest.mark.parametrize("name", ["accounts:register", "accounts:password_reset"])
def test_public_forms(client, name):
    ensure_territory()
    url = reverse(name)
    assert assert_errors_name_their_fields(post_empty(client, url), url)


def test_login(client):
    url = reverse("accounts:login")
    html = post_empty(client, url).content.decode()
    assert "Indique o nome de utilizador ou e-mail." in html
    assert "Indique a password." in html


def test_the_address_says_which_field(client):
    ensure_territory()
    html = post_empty(client, reverse("accounts:register")).content.decode()
    for message in (
        "Indique a rua.",
        "Indique o código postal.",
        "Escolha o distrito.",
        "Escolha o concelho.",
        "Indique o NIF.",
    ):
        assert html.count(message) == 2, message  # the summary and the field


@pytest.mark.parametrize("name", CUSTOMER_PAGES)
def test_customer_forms(ana_client, name):
    ensure_territory()
    url = reverse(name)
    assert assert_errors_name_their_fields(post_empty(ana_client, url), url)


@pytest.mark.parametrize("name", ["contracts:rename", "readings:submit"])
def test_contract_forms(ana_client, ana, name):
    subscription = ana.subscriptions.filter(status="active").order_by("custom_name").first()
    url = reverse(name, args=[subscription.contract.contract_number])
    assert assert_errors_name_their_fields(post_empty(ana_client, url), url)


@pytest.mark.parametrize(
    "request_type", [t for t in RequestType.values if t not in TYPES_ONLY_FROM_AN_INVOICE]
)
def test_every_request_form(ana_client, ana, request_type):
    ensure_territory()
    subscription = ana.subscriptions.filter(status="active").order_by("custom_name").first()
    url = reverse("service_requests:new_of_type", args=[request_type])
    if ana_client.get(url).status_code == 302:
        url = reverse(
            "service_requests:change",
            args=[subscription.contract.contract_number, request_type],
        )
    response = post_empty(ana_client, url)
    if response.status_code == 302:  # a change not possible now: nothing to post
        return
    assert_errors_name_their_fields(response, url)


@pytest.mark.parametrize("name", ["payments:contest", "payments:instalments"])
def test_the_invoice_page_requests(ana_client, ana, name):
    """ "Reclamar desta fatura" and "Pedir pagamento em prestações" (issue 13)."""
    import datetime

    from balcao.billing.tests.factories import issue_month_invoice

    subscription = ana.subscriptions.filter(status="active").order_by("custom_name").first()
    invoice = issue_month_invoice(subscription.contract, datetime.date(2026, 9, 1))
    url = reverse(name, args=[invoice.number])
    response = post_empty(ana_client, url)
    if name == "payments:contest":  # its description comes prefilled: clear it, as a user may
        response = ana_client.post(url, {"description": "", "contract": ""})
    assert assert_errors_name_their_fields(response, url)
