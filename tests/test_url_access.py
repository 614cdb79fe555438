"""The access matrix, generated from the URL patterns.

Every URL of the portal (the admin apart: it has its own login and its own tests) is declared
in ROUTES with the methods its view accepts and the kind of object its path names. From that:

- anonymous, every URL that is not public, GET and POST: a redirect to the login page;
- signed in as ana, every URL whose path names an object, filled with each object of that
  kind that is bruno's (or that ana may know of but does not hold), GET and POST: 404 for
  the methods the view accepts, 405 for the others, and no row of any table changed;
- signed in as ana, every other URL, GET with bruno's identifiers in the query and POST with
  them in the body: never a server error, nothing of bruno's shown, no row of bruno's changed.

A URL pattern that ROUTES does not know fails the suite, so a new view needs its entry here.
"""

import datetime
import io
import zipfile
from dataclasses import dataclass

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from balcao.billing.tests.helpers_pages import bill
from balcao.contracts import services as contract_services
from balcao.contracts.models import Subscription
from balcao.contracts.tests.factories import ContractFactory, CustomerFactory
from balcao.notices.models import Notice
from balcao.notices.tests.factories import NoticeFactory
from balcao.payments.tests.factories import pay_invoice
from balcao.readings import services as reading_services
from balcao.readings.selectors import assess_reading
from balcao.service_requests import services as request_services
from balcao.service_requests.models import Channel, RequestType
from tests.snapshot import snapshot

GET, POST = "GET", "POST"


@dataclass(frozen=True)
class Route:
    methods: tuple = (GET,)
    public: bool = False
    kind: str | None = None  # the kind of object the path names; None: no object in the path
    fixed: tuple = ()  # path parameters that are not an object: (name, value)


ROUTES = {
    "set_language": Route(methods=(POST,), public=True),
    "health": Route(public=True),
    "accounts:login": Route(methods=(GET, POST), public=True),
    "accounts:logout": Route(methods=(POST,)),
    "accounts:register": Route(methods=(GET, POST), public=True),
    "accounts:register_access": Route(methods=(GET, POST), public=True),
    "accounts:confirm_email": Route(public=True, kind="link_token"),
    "accounts:resend_confirmation": Route(methods=(GET, POST), public=True),
    "accounts:password_reset": Route(methods=(GET, POST), public=True),
    "accounts:password_reset_done": Route(public=True),
    "accounts:password_reset_confirm": Route(
        methods=(GET, POST), public=True, fixed=(("uidb64", "MQ"), ("token", "set-password"))
    ),
    "accounts:profile": Route(),
    "accounts:edit_holder": Route(methods=(GET, POST)),
    "accounts:edit_address": Route(methods=(GET, POST)),
    "accounts:change_email": Route(methods=(GET, POST)),
    "accounts:confirm_email_change": Route(public=True, kind="link_token"),
    "accounts:password_change": Route(methods=(GET, POST)),
    "accounts:activity": Route(),
    "accounts:end_other_sessions": Route(methods=(POST,)),
    "accounts:two_factor": Route(),
    "accounts:otp_setup": Route(methods=(GET, POST)),
    "accounts:otp_verify": Route(methods=(GET, POST)),
    "accounts:otp_disable": Route(methods=(POST,)),
    "accounts:recovery_codes": Route(methods=(POST,)),
    "accounts:my_data": Route(),
    "accounts:export_json": Route(),
    "accounts:export_csv": Route(),
    "accounts:close_account": Route(methods=(GET, POST)),
    "contracts:list": Route(),
    "contracts:add": Route(methods=(GET, POST)),
    "contracts:activate": Route(kind="activation_link"),
    "contracts:request": Route(kind="subscription_request"),
    "contracts:activate_code": Route(methods=(GET, POST), kind="subscription_request"),
    "contracts:request_code": Route(methods=(POST,), kind="subscription_request"),
    "contracts:cancel": Route(methods=(GET, POST), kind="subscription_request"),
    "contracts:detail": Route(kind="contract"),
    "contracts:rename": Route(methods=(GET, POST), kind="contract"),
    "contracts:mandate": Route(kind="contract"),
    "contracts:mandate_pdf": Route(kind="contract"),
    "contracts:direct_debit_off": Route(methods=(GET, POST), kind="contract"),
    "contracts:e_invoice_off": Route(methods=(GET, POST), kind="contract"),
    "contracts:remove": Route(methods=(GET, POST), kind="contract"),
    "readings:index": Route(),
    "readings:reminders": Route(methods=(GET, POST)),
    "readings:submit": Route(methods=(GET, POST), kind="contract"),
    "readings:history": Route(kind="contract"),
    "readings:consumption": Route(kind="contract"),
    "readings:receipt": Route(kind="receipt"),
    "service_requests:list": Route(),
    "service_requests:new": Route(),
    "service_requests:new_of_type": Route(
        methods=(GET, POST), fixed=(("request_type", "information"),)
    ),
    "service_requests:change": Route(
        methods=(GET, POST), kind="contract", fixed=(("request_type", "billing_address"),)
    ),
    "service_requests:detail": Route(kind="request"),
    "service_requests:message": Route(methods=(POST,), kind="request"),
    "service_requests:withdraw": Route(methods=(GET, POST), kind="request"),
    "service_requests:attachment": Route(kind="attachment"),
    "notices:dismiss": Route(methods=(POST,), kind="notice"),
    "notices:dismissed": Route(),
    "billing:invoice": Route(kind="invoice"),
    "billing:invoice_pdf": Route(kind="invoice"),
    "payments:contest": Route(methods=(GET, POST), kind="invoice"),
    "payments:instalments": Route(methods=(GET, POST), kind="invoice"),
    "billing:simulator": Route(public=True),
    "payments:receipt_pdf": Route(kind="payment_receipt"),
    "portal:home": Route(),
    "portal:choose_contract": Route(methods=(POST,)),
    "portal:invoices": Route(),
    "portal:accessibility": Route(public=True),
    "portal:terms": Route(public=True),
    "portal:e_invoice_terms": Route(public=True),
}


def _walk(patterns, namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin has its own login, tested by its own checks
            yield from _walk(entry.url_patterns, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"the URL pattern {entry.pattern} has no name"
            yield f"{namespace}:{entry.name}" if namespace else entry.name, entry


PATTERNS = dict(_walk(get_resolver().url_patterns))


def test_every_url_pattern_is_in_the_matrix():
    """A new view needs its line in ROUTES: who may open it, and what object it names."""
    assert set(PATTERNS) - set(ROUTES) == set(), "URL patterns the access matrix does not know"
    assert set(ROUTES) - set(PATTERNS) == set(), "ROUTES names URL patterns that do not exist"


def _pdf():
    upload = SimpleUploadedFile("fatura.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    upload.checked_content_type = "application/pdf"
    return upload


@pytest.fixture
def foreign(ana, bruno, clerk, django_capture_on_commit_callbacks):
    """bruno's objects of every kind, and objects ana knows of but may not open.

    Each kind maps to the path parameters that name it.
    """
    contract = bruno.subscriptions.get().contract
    installation = contract.installation
    shown = assess_reading(installation, 1, timezone.localdate()).warning_codes
    reading = reading_services.submit_reading(
        installation=installation, index=1, accepted_warnings=shown, user=bruno
    ).reading
    assert reading.receipt_number
    service_request = request_services.submit_request(
        user=bruno,
        request_type=RequestType.COMPLAINT,
        contract=contract,
        channel=Channel.EMAIL,
        contact_value=bruno.email,
        description="Fuga no contador.",
        attachments=[_pdf()],
    )
    attachment = service_request.attachments.get()
    notice = NoticeFactory(audience=Notice.Audience.CONTRACTS, contracts=[contract])
    invoice = bill(contract, start=timezone.localdate().replace(day=1))
    # bruno's next invoice, paid at the counter: its receipt (RG)
    paid = bill(contract, start=invoice.period_end + datetime.timedelta(days=1))
    receipt = pay_invoice(paid).receipt

    # bruno asked for a second contract (his e-mail is the holder's): a link and a reference.
    customer = CustomerFactory(email=bruno.email, name="Bruno Costa")
    second = ContractFactory(customer=customer)
    pending = Subscription.objects.create(
        user=bruno,
        cil=second.installation.cil,
        customer_number=customer.customer_number,
        account_number=second.account.account_number,
        custom_name="Oficina",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        contract_services.approve_subscription(subscription=pending, contract=second, clerk=clerk)
    [link] = [word for m in mail.outbox for word in m.body.split() if "/contratos/ativar/" in word]
    link_token = link.rstrip("/").rsplit("/", 1)[1]

    # ana typed the numbers of bruno's contract and a clerk approved it: her letter is on its
    # way, but the contract is not hers until she types the code.
    typed = Subscription.objects.create(
        user=ana,
        cil=contract.installation.cil,
        customer_number=contract.customer.customer_number,
        account_number=contract.account.account_number,
        custom_name="Do Bruno",
    )
    contract_services.approve_subscription(subscription=typed, contract=contract, clerk=clerk)
    typed.refresh_from_db()
    assert typed.status != Subscription.Status.ACTIVE and typed.contract == contract

    anas_contract = ana.subscriptions.filter(status="active").first().contract
    anas_request = request_services.submit_request(
        user=ana,
        request_type=RequestType.INFORMATION,
        contract=None,
        channel=Channel.EMAIL,
        contact_value=ana.email,
        description="Horário?",
    )
    return {
        "contract": [
            {"contract_number": contract.contract_number},
            {"contract_number": second.contract_number},  # bruno's, not yet active
        ],
        "receipt": [
            {"contract_number": contract.contract_number, "receipt_number": reading.receipt_number},
            # ana's own contract with bruno's receipt
            {
                "contract_number": anas_contract.contract_number,
                "receipt_number": reading.receipt_number,
            },
        ],
        "request": [{"number": service_request.number}],
        "attachment": [
            {"number": service_request.number, "token": attachment.token},
            {"number": anas_request.number, "token": attachment.token},  # ana's request
        ],
        "subscription_request": [{"reference": pending.reference}],
        "notice": [{"public_id": notice.public_id}],
        "activation_link": [{"token": link_token}],
        # bruno's invoice (of the contract ana typed but may not open yet)
        "invoice": [{"invoice_number": invoice.number}],
        "payment_receipt": [{"rg_number": receipt.number}],
        "link_token": [{"token": "bm90LWEtdG9rZW4:1uAAAA:invalid", "uidb64": "MQ"}],
        "_ids": {
            "contract": contract.contract_number,
            "contract_number": contract.contract_number,
            "cil": contract.installation.cil,
            "customer_number": contract.customer.customer_number,
            "account_number": contract.account.account_number,
            "number": service_request.number,
            "reference": str(pending.reference),
            "token": link_token,
            "public_id": str(notice.public_id),
            "invoice_number": invoice.number,
            "ano": str(invoice.issue_date.year),
        },
        # What ana never typed: bruno's NIF, his name as holder, his complaint's text, his invoice.
        "_secrets": [bruno.nif, "Bruno Costa", "Fuga no contador.", invoice.number],
    }


def _cases():
    """(name, kind, method) for every URL with an object in its path, per accepted method."""
    for name, route in sorted(ROUTES.items()):
        if route.kind and not route.public:
            for method in (GET, POST):
                yield name, route.kind, method


OBJECT_CASES = list(_cases())
PLAIN_CASES = [
    (name, method)
    for name, route in sorted(ROUTES.items())
    if not route.kind and not route.public
    for method in (GET, POST)
]
ANONYMOUS_CASES = [
    (name, method)
    for name, route in sorted(ROUTES.items())
    if not route.public
    for method in (GET, POST)
]


def _body(response) -> bytes:
    """The response's bytes; a zip (the CSV export) as the text of its files."""
    body = b"".join(response) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            body = b"".join(archive.read(member) for member in archive.namelist())
    return body


def _url(name, kwargs):
    route = ROUTES[name]
    wanted = set(PATTERNS[name].pattern.converters)
    values = dict(route.fixed) | {k: v for k, v in kwargs.items() if k in wanted}
    assert set(values) == wanted, f"{name}: no value for {wanted - set(values)}"
    return reverse(name, kwargs=values)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kind", "method"), OBJECT_CASES)
def test_ana_cannot_reach_or_change_bruno_objects(ana_client, foreign, name, kind, method):
    before = snapshot()
    for kwargs in foreign[kind]:
        url = _url(name, kwargs)
        if method == GET:
            response = ana_client.get(url, foreign["_ids"])
        else:
            response = ana_client.post(url, foreign["_ids"])
        expected = 404 if method in ROUTES[name].methods else 405
        assert response.status_code == expected, f"{method} {url}: {response.status_code}"
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), PLAIN_CASES)
def test_bruno_identifiers_in_a_form_or_query_reach_nothing_of_his(
    ana_client, foreign, bruno, name, method
):
    before = snapshot(owner=bruno)
    url = _url(name, {})
    if method == GET:
        response = ana_client.get(url, foreign["_ids"])
    else:
        response = ana_client.post(url, foreign["_ids"])
    accepted = method in ROUTES[name].methods
    assert response.status_code < 500
    assert accepted or response.status_code == 405
    body = _body(response)
    for secret in foreign["_secrets"]:
        assert secret.encode() not in body, f"{method} {url} shows {secret!r}"
    assert snapshot(owner=bruno) == before


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), ANONYMOUS_CASES)
def test_anonymous_visitor_is_asked_to_sign_in(client, name, method):
    zero = "00000000-0000-0000-0000-000000000000"
    kwargs = {
        "contract_number": "600001",
        "receipt_number": "L2026-0000001",
        "number": 1,
        "token": zero,
        "public_id": zero,
        "reference": zero,
        "invoice_number": "FT 2026A/1",
        "rg_number": "RG 2026A/1",
    }
    url = _url(name, kwargs)
    response = client.get(url) if method == GET else client.post(url)
    assert response.status_code == 302, f"{method} {url} answered {response.status_code}"
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.public))
def test_public_pages_open_without_signing_in(client, name):
    url = _url(name, {"token": "bm90LWEtdG9rZW4:1uAAAA:invalid", "uidb64": "MQ"})
    response = client.get(url)
    assert response.status_code in ({200, 302, 400, 404} if ROUTES[name].kind else {200, 302, 405})
    assert "/conta/entrar/" not in response.get("Location", "") or name == "accounts:login"


def test_matrix_size():
    """The counts the closing note of the audit quotes (URLs × users × methods)."""
    assert len(ROUTES) == len(PATTERNS)
    assert len(OBJECT_CASES) + len(PLAIN_CASES) == 2 * sum(
        1 for r in ROUTES.values() if not r.public
    )
