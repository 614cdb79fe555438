"""At most five queries on every customer page, the same with 1 contract and with 25 (issue 14).

The session, the user, the subscriptions (loaded once per request and shared by the header,
the page's access check and the notices), and what the page itself shows. A page that
grows with the number of contracts, or a selector that fetches the subscriptions again,
fails here.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from balcao.accounts.tests.factories import UserFactory
from balcao.billing.services import create_mandate
from balcao.billing.tests.factories import issue_month_invoice
from balcao.contracts.models import Contract
from balcao.contracts.services.account_changes import start_e_invoice
from balcao.contracts.tests.factories import SubscriptionFactory
from balcao.notices.models import Notice
from balcao.notices.tests.factories import NoticeFactory
from balcao.payments.bank_files import BankOutcome, pain002_report
from balcao.payments.services.bank_returns import import_bank_returns
from balcao.payments.services.direct_debit import collect_due_invoices
from balcao.payments.services.plans import accept_payment_plan
from balcao.payments.tests.factories import pay_invoice
from balcao.readings import services as reading_services
from balcao.readings.selectors import assess_reading
from balcao.service_requests import services as request_services
from balcao.service_requests.models import Channel, RequestType

MAX_QUERIES = 5

# Every page a customer opens with GET, and whether its path names the chosen contract.
CUSTOMER_PAGES = [
    ("portal:home", False),
    ("portal:invoices", False),
    ("contracts:list", False),
    ("contracts:detail", True),
    ("readings:submit", True),
    ("readings:history", True),
    ("readings:consumption", True),
    ("readings:reminders", False),
    ("service_requests:list", False),
    ("service_requests:new", False),
    ("accounts:profile", False),
]


@pytest.fixture
def customer_with(client, db):
    """A signed-in customer with ``n`` contracts, readings on the first, and notices."""

    def make(n):
        user = UserFactory(username=f"cliente{n}")
        subscriptions = [SubscriptionFactory(user=user, custom_name=f"C{i:02d}") for i in range(n)]
        first = subscriptions[0].contract
        installation = first.installation
        shown = assess_reading(installation, 5, timezone.localdate()).warning_codes
        reading_services.submit_reading(
            installation=installation, index=5, accepted_warnings=shown, user=user
        )
        NoticeFactory(audience=Notice.Audience.EVERYONE)
        NoticeFactory(audience=Notice.Audience.CONTRACTS, contracts=[first])
        client.force_login(user)
        return client, first.contract_number

    return make


@pytest.mark.parametrize("contracts", [1, 25])
@pytest.mark.parametrize(("name", "names_contract"), CUSTOMER_PAGES)
def test_customer_page_queries(customer_with, contracts, name, names_contract):
    client, contract_number = customer_with(contracts)
    url = reverse(name, args=[contract_number] if names_contract else [])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    listing = "\n".join(q["sql"][:200] for q in queries.captured_queries)
    assert len(queries.captured_queries) <= MAX_QUERIES, listing
    # The first visit to Início fills the cache of the user's notices (two queries) on top
    # of a full warm page (session, user, subscriptions, the latest invoice, the last
    # request); the session is read from Redis in production, one query less than here.
    cold = MAX_QUERIES + 2 if name == "portal:home" else MAX_QUERIES
    assert len(first.captured_queries) <= cold


def _invoice_in_state(contract, user, clerk, state):
    """September's invoice of ``contract`` (August's before it, for "why it differs") in
    ``state``, reached through the services a clerk, the bank or the customer would use."""
    if state == "returned_debit":
        create_mandate(
            account=contract.account,
            debtor_name="Ana Silva",
            debtor_address="Rua Direita, 10, 2400-001 Leiria",
            iban="PT50000201231234567890154",
            signed_at=datetime.date(2026, 1, 15),
            signed_place="Leiria",
            authorisation_text="Autorizo.",
        )
        contract.account.refresh_from_db()
    issue_month_invoice(contract, datetime.date(2026, 8, 1), volume="8")
    invoice = issue_month_invoice(contract, datetime.date(2026, 9, 1))
    if state == "paid":
        pay_invoice(invoice, amount=Decimal("1.00"))
        pay_invoice(invoice)
    elif state == "returned_debit":
        collect_due_invoices(due_date=invoice.due_date)
        returned = BankOutcome(
            end_to_end_id=invoice.number,
            settled=False,
            reason_code="AM04",
            on=invoice.due_date,
            amount=invoice.gross_total,
        )
        report = pain002_report(message_id="R1", original_message_id="X", outcomes=[returned])
        import_bank_returns(content=report, source="retorno.xml")
    elif state in ("plan", "plan_part_paid", "contested"):
        request = request_services.submit_request(
            user=user,
            request_type=RequestType.COMPLAINT if state == "contested" else RequestType.INSTALMENTS,
            contract=contract,
            invoice=invoice,
            channel=Channel.NONE,
            contact_value="",
            payload={} if state == "contested" else {"instalments": 2},
        )
        if state != "contested":
            plan = accept_payment_plan(
                service_request=request,
                instalments=2,
                first_due_date=timezone.localdate(),
                actor=clerk,
            )
            if state == "plan_part_paid":
                pay_invoice(invoice, amount=plan.instalments.order_by("number")[0].amount)
    invoice.refresh_from_db()
    return invoice


@pytest.mark.parametrize("contracts", [1, 25])
@pytest.mark.parametrize(
    "state", ["unpaid", "paid", "returned_debit", "plan", "plan_part_paid", "contested"]
)
def test_invoice_page_queries(customer_with, clerk, contracts, state):
    """The invoice page, in every state its payment block shows: the invoice's own query
    carries the previous invoice and the payment state; the lines and readings come from
    the cache; receipts and instalments only when there are some."""
    client, contract_number = customer_with(contracts)
    contract = Contract.objects.get(contract_number=contract_number)
    user = contract.subscriptions.get().user
    invoice = _invoice_in_state(contract, user, clerk, state)
    url = reverse("billing:invoice", args=[invoice.number])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    listing = "\n".join(q["sql"][:200] for q in queries.captured_queries)
    assert len(queries.captured_queries) <= MAX_QUERIES, listing
    # The first visit reads the issued document's lines and readings (two queries), kept
    # in the cache from then on: they never change.
    assert len(first.captured_queries) <= MAX_QUERIES + 2
    html = response.content.decode()
    assert {"paid": "/recibos/", "returned_debit": "Débito direto devolvido"}.get(
        state, invoice.number
    ) in html


# The pages of the payments' issue a customer opens with GET: those of an unpaid invoice
# (contest it, ask for instalments) and those of the account (turn off the direct debit,
# the e-invoice), on an account that has them.
PAYMENT_PAGES = [
    ("payments:contest", "invoice"),
    ("payments:instalments", "invoice"),
    ("contracts:direct_debit_off", "contract"),
    ("contracts:e_invoice_off", "contract"),
]


@pytest.mark.parametrize("contracts", [1, 25])
@pytest.mark.parametrize(("name", "names"), PAYMENT_PAGES)
def test_payment_page_queries(customer_with, contracts, name, names):
    client, contract_number = customer_with(contracts)
    contract = Contract.objects.get(contract_number=contract_number)
    create_mandate(
        account=contract.account,
        debtor_name="Ana Silva",
        debtor_address="Rua Direita, 10, 2400-001 Leiria",
        iban="PT50000201231234567890154",
        signed_at=datetime.date(2026, 1, 15),
        signed_place="Leiria",
        authorisation_text="Autorizo.",
    )
    start_e_invoice(
        account=contract.account, email="cliente@example.pt", actor=None, reason="Pedido."
    )
    invoice = issue_month_invoice(contract, datetime.date(2026, 9, 1))
    url = reverse(name, args=[invoice.number if names == "invoice" else contract_number])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    listing = "\n".join(q["sql"][:200] for q in queries.captured_queries)
    assert len(queries.captured_queries) <= MAX_QUERIES, listing
