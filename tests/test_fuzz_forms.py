"""Hostile input in every public and customer form and in every path converter.

Each form's field names and the values its page offers (options, hidden fields) are read
from the page itself, so a new field is fuzzed without touching this file. Every field
gets either one of those values or something hostile: text with NUL, 1 MB, bytes that are
not UTF-8, right-to-left marks, huge and negative numbers, impossible dates. The answer is
never a server error, and a submission the portal refuses stores nothing.

File fields are left out: uploads have their own suite (and a decompression bomb there
belongs to it). Examples per form: the "ci" Hypothesis profile in conftest.py.
"""

import re
from collections import Counter
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from balcao.contracts.models import Subscription
from balcao.core.territory import ensure_territory
from balcao.service_requests.models import TYPES_ONLY_FROM_AN_INVOICE, RequestType
from tests.snapshot import snapshot

pytestmark = pytest.mark.django_db

MEGABYTE = "a" * 1_000_000
HOSTILE = st.one_of(
    st.text(max_size=40),  # any Unicode, surrogates and controls included
    st.text(alphabet=st.sampled_from("\x00\u202e\u200f\u202d\ufeff\ud800a1-/ "), max_size=30),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "600001\x00",
            MEGABYTE,
            "\u202e9999",
            "\u200f1",
            "9" * 400,
            "-1",
            "-99999999999999999999",
            str(2**63),
            str(2**64),
            "1e309",
            "NaN",
            "-0",
            "Infinity",
            "0x10",
            "2026-02-30",
            "0000-00-00",
            "31/02/2026",
            "9999-99-99",
            "2026-13-01",
            "1900-01-01",
            "99999-01-01",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
        ]
    ),
    st.binary(max_size=20),  # percent-encoded as they are: often not UTF-8
)
FORM_FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.S)
VALUE = re.compile(r'\bvalue="([^"]*)"')
FUZZED = Counter()


def _form(client, url):
    """The names of the page's fields and the values it offers (options, hidden values)."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    html = response.content.decode()
    names = sorted(set(FORM_FIELD.findall(html)) - {"csrfmiddlewaretoken"})
    names = [n for n in names if f'type="file" name="{n}"' not in html and n != "next"]
    offered = sorted(set(VALUE.findall(html)))
    return names, offered


def _post(client, url, data):
    body = urlencode(
        {k: v for k, v in data.items() if v is not None},
        doseq=True,
        encoding="utf-8",
        errors="surrogatepass",
    ).encode("ascii")
    return client.generic("POST", url, body, content_type="application/x-www-form-urlencoded")


def _fuzz(client, url, draw_data, *, label, page=None, counted=()):
    """Post drawn values to the form at ``url``: no 500; a refused submission stores nothing.

    Each example runs in a savepoint that is rolled back, so every example starts from the
    same rows (a removed contract or a locked code does not change the next example's form).
    """
    with transaction.atomic():
        _fuzz_once(client, url, draw_data, label=label, page=page, counted=counted)
        transaction.set_rollback(True)


def _fuzz_once(client, url, draw_data, *, label, page, counted):
    names, offered = _form(client, page or url)
    assert names, f"{url} has no form fields"
    field_value = st.one_of(HOSTILE, st.sampled_from(offered or [""]), st.none())
    data = draw_data(st.fixed_dictionaries(dict.fromkeys(names, field_value)))
    before = snapshot()
    response = _post(client, url, data)
    FUZZED[label] += 1
    assert response.status_code < 500, f"POST {url} {data!r}: {response.status_code}"
    if response.status_code != 302:  # refused (the form again, with its errors), or 4xx
        after = snapshot()
        for table in counted:  # tables where a refused try is counted by design
            before.pop(table), after.pop(table)
        assert after == before, f"POST {url} stored something from {data!r}"


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    for label, count in sorted(FUZZED.items()):
        print(f"fuzzed {count:4d}  {label}")  # noqa: T201 (the counts the audit note quotes)


@pytest.fixture
def ana_subscription(ana):
    return ana.subscriptions.filter(status="active").order_by("custom_name").first()


@pytest.fixture
def ana_awaiting_code(ana, bruno, clerk, django_capture_on_commit_callbacks):
    """ana typed bruno's numbers and a clerk approved them: a letter code to type."""
    from balcao.contracts import services

    contract = bruno.subscriptions.get().contract
    typed = Subscription.objects.create(
        user=ana,
        cil=contract.installation.cil,
        customer_number=contract.customer.customer_number,
        account_number=contract.account.account_number,
        custom_name="Do Bruno",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_subscription(subscription=typed, contract=contract, clerk=clerk)
    return typed


# -- public forms -------------------------------------------------------------------------

PUBLIC_FORMS = [
    "accounts:login",
    "accounts:register",
    "accounts:password_reset",
    "accounts:resend_confirmation",
]


@pytest.mark.parametrize("name", PUBLIC_FORMS)
@given(data=st.data())
def test_public_forms(client, name, data):
    ensure_territory()
    _fuzz(client, reverse(name), data.draw, label=name)


@given(data=st.data())
def test_registration_step_two(client, data):
    """Step 2 after a valid step 1 (the session carries step 1)."""
    municipality = ensure_territory()
    parish = municipality.parishes.order_by("name").first()
    step1 = {
        "first_name": "Joana",
        "last_name": "Lopes",
        "nif": "501964843",
        "phone": "244000111",
        "mobile": "912345678",
        "street": "Rua Barão de Viamonte",
        "door": "7",
        "floor": "",
        "postal_code": "2400-137",
        "postal_locality": "Leiria",
        "locality": "Leiria",
        "district": municipality.district_id,
        "municipality": municipality.pk,
        "parish": parish.pk,
    }
    assert client.post(reverse("accounts:register"), step1).status_code == 302
    _fuzz(client, reverse("accounts:register_access"), data.draw, label="accounts:register_access")


# -- customer forms -----------------------------------------------------------------------

ACCOUNT_FORMS = [
    "accounts:edit_holder",
    "accounts:edit_address",
    "accounts:change_email",
    "accounts:password_change",
    "accounts:close_account",
    "accounts:otp_setup",
    "contracts:add",
    "readings:reminders",
]


@pytest.mark.parametrize("name", ACCOUNT_FORMS)
@given(data=st.data())
def test_customer_forms(ana_client, name, data):
    ensure_territory()
    _fuzz(ana_client, reverse(name), data.draw, label=name)


CONTRACT_FORMS = ["contracts:rename", "contracts:remove", "readings:submit"]


@pytest.mark.parametrize("name", CONTRACT_FORMS)
@given(data=st.data())
def test_contract_forms(ana_client, ana_subscription, name, data):
    url = reverse(name, args=[ana_subscription.contract.contract_number])
    _fuzz(ana_client, url, data.draw, label=name)


@pytest.mark.parametrize(
    "request_type", [t for t in RequestType.values if t not in TYPES_ONLY_FROM_AN_INVOICE]
)
@given(data=st.data())
def test_new_request_of_every_type(ana_client, ana_subscription, request_type, data):
    url = reverse("service_requests:new_of_type", args=[request_type])
    response = ana_client.get(url)
    if response.status_code == 302:  # a change request: its own page per contract
        url = reverse(
            "service_requests:change",
            args=[ana_subscription.contract.contract_number, request_type],
        )
    ensure_territory()
    _fuzz(ana_client, url, data.draw, label=f"pedido {request_type}")


@pytest.fixture
def ana_unpaid_invoice(ana_subscription):
    import datetime

    from balcao.billing.tests.factories import issue_month_invoice

    return issue_month_invoice(ana_subscription.contract, datetime.date(2026, 9, 1))


# The requests made from an invoice's page (issue 13).
INVOICE_FORMS = ["payments:contest", "payments:instalments"]


@pytest.mark.parametrize("name", INVOICE_FORMS)
@given(data=st.data())
def test_invoice_forms(ana_client, ana_unpaid_invoice, name, data):
    _fuzz(ana_client, reverse(name, args=[ana_unpaid_invoice.number]), data.draw, label=name)


@given(data=st.data())
def test_activation_code(ana_client, ana_awaiting_code, data):
    reference = ana_awaiting_code.reference
    _fuzz(
        ana_client,
        reverse("contracts:activate_code", args=[reference]),
        data.draw,
        label="contracts:activate_code",
        page=reverse("contracts:request", args=[reference]),
        # a wrong code is counted on the key and in the request's history (five lock it)
        counted=("contracts.ActivationKey", "contracts.SubscriptionEvent"),
    )


@given(data=st.data())
def test_contract_selector_and_its_next(ana_client, data):
    """The header's selector: a hostile ``next`` or contract is never a 500 nor an open redirect."""
    fields = {"contract": data.draw(HOSTILE), "next": data.draw(HOSTILE)}
    response = _post(ana_client, reverse("portal:choose_contract"), fields)
    FUZZED["portal:choose_contract"] += 1
    assert response.status_code == 302
    assert response["Location"].startswith("/") and not response["Location"].startswith("//")


# -- query strings and path converters ----------------------------------------------------


@settings(max_examples=12)
@given(value=HOSTILE)
def test_reading_pages_query_strings(ana_client, ana_subscription, value):
    number = ana_subscription.contract.contract_number
    for name in ("readings:history", "readings:consumption"):
        url = reverse(name, args=[number])
        for key in ("ano", "year", "periodo", "page"):
            query = urlencode({key: value}, errors="surrogatepass")
            response = ana_client.get(f"{url}?{query}")
            FUZZED[f"{name} ?{key}"] += 1
            assert response.status_code < 500, f"GET {url} ?{key}={value!r}"


@settings(max_examples=12)
@given(value=HOSTILE)
def test_invoice_list_query_string(ana_client, value):
    for key in ("ano", "year"):
        query = urlencode({key: value}, errors="surrogatepass")
        response = ana_client.get(f"{reverse('portal:invoices')}?{query}")
        FUZZED[f"portal:invoices ?{key}"] += 1
        assert response.status_code < 500, f"GET ?{key}={value!r}"


@given(data=st.data())
def test_bill_simulator(client, data):
    """The simulator's form is sent by GET: hostile values in its query, never a 500."""
    from balcao.billing.tests.helpers_pages import domestic_tariff

    domestic_tariff()
    url = reverse("billing:simulator")
    names, offered = _form(client, url)
    assert set(names) == {"tariff_type", "consumption", "days", "household_size"}
    field_value = st.one_of(HOSTILE, st.sampled_from(offered or [""]), st.none())
    values = data.draw(st.fixed_dictionaries(dict.fromkeys(names, field_value)))
    query = urlencode(
        {k: v for k, v in values.items() if v is not None},
        doseq=True,
        encoding="utf-8",
        errors="surrogatepass",
    )
    response = client.get(f"{url}?{query}")
    FUZZED["billing:simulator"] += 1
    assert response.status_code < 500, f"GET {url}?{query}: {response.status_code}"


PATH_TEMPLATES = [
    "/contratos/{}/",
    "/contratos/{}/nome/",
    "/contratos/{}/remover/",
    "/contratos/ativar/{}/",
    "/contratos/pedidos/{}/",
    "/leituras/{}/",
    "/leituras/{}/leituras/",
    "/leituras/{}/consumos/",
    "/leituras/600001/comprovativo/{}/",
    "/pedidos/{}/",
    "/pedidos/{}/anexos/00000000-0000-0000-0000-000000000000/",
    "/pedidos/1/anexos/{}/",
    "/pedidos/novo/{}/",
    "/pedidos/contrato/600001/{}/",
    "/pedidos/contrato/{}/billing_address/",
    "/avisos/{}/dispensar/",
    "/faturas/{}/",
    "/faturas/{}/pdf/",
    "/faturas/{}/reclamar/",
    "/faturas/{}/prestacoes/",
    "/conta/confirmar-email/{}/",
    "/conta/perfil/email/{}/",
    "/conta/recuperar-password/{}/x/",
]
SEGMENT = st.one_of(
    HOSTILE.filter(lambda v: isinstance(v, str)).map(
        lambda v: quote(v[:2000].encode("utf-8", "surrogatepass"), safe="")
    ),
    st.binary(min_size=1, max_size=20).map(lambda b: quote(b, safe="")),
    st.sampled_from(["%00", "600001%00", "L2026-0000001%00", "1%00", "..", "%2e%2e", "%FF%FE"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


@pytest.mark.parametrize("template", PATH_TEMPLATES)
@settings(max_examples=12)
@given(segment=SEGMENT, method=st.sampled_from(["GET", "POST"]))
def test_path_converters(ana_client, ana, template, segment, method):
    url = template.format(segment or "x")
    before = snapshot()
    response = ana_client.generic(method, url)
    FUZZED[f"path {template}"] += 1
    assert response.status_code < 500, f"{method} {url}: {response.status_code}"
    assert snapshot() == before
