"""The e-mail of a credit note says what the customer had paid of the invoice it cancels
and that it is refunded: all of it, a part payment, a payment plan's instalments paid;
"nothing to pay" only when nothing was paid (or its payment was reversed)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail

from balcao.billing.services.invoices import issue_credit_note
from balcao.billing.tests.factories import issue_month_invoice
from balcao.contracts.tests.factories import ContractFactory
from balcao.payments.services.plans import accept_payment_plan, pay_instalment
from balcao.payments.services.receipts import reverse_payment
from balcao.payments.tests.factories import pay_invoice
from balcao.service_requests import services as request_services
from balcao.service_requests.models import Channel, RequestType

pytestmark = pytest.mark.django_db

OCTOBER = datetime.date(2026, 10, 1)
TOTAL = "27,05 €"  # October's invoice, 10 m³ over 31 days
NOTHING_TO_PAY = "Já não tem nada a pagar pela fatura FT 2026A/1."


@pytest.fixture
def invoice(clerk):
    """October's invoice of an e-invoice account, issued 01/11/2026, not yet paid."""
    contract = ContractFactory(customer__name="Ana Silva")
    contract.account.e_invoice = True
    contract.account.e_invoice_email = "faturas.ana@example.pt"
    contract.account.save()
    with time_machine.travel("2026-11-01 10:00:00+00:00", tick=False):
        invoice = issue_month_invoice(contract, OCTOBER)
    assert invoice.number == "FT 2026A/1"
    return invoice


def cancel(invoice, callbacks):
    """The credit note, and its e-mail sent after its commit; the e-mail's text and HTML."""
    mail.outbox.clear()  # the invoice's own e-mail
    with time_machine.travel("2026-11-10 10:00:00+00:00", tick=False), callbacks(execute=True):
        issue_credit_note(invoice=invoice, reason="Leitura mal registada.")
    [message] = mail.outbox
    assert message.subject.startswith("A sua nota de crédito NC 2026A/1")
    return message.body, message.alternatives[0][0]


def test_a_part_paid_invoice_refunds_the_part_paid(invoice, django_capture_on_commit_callbacks):
    pay_invoice(invoice, amount=Decimal("10.00"))

    text, html = cancel(invoice, django_capture_on_commit_callbacks)

    says = (
        f"Como já tinha pago 10,00 € dos {TOTAL} da fatura FT 2026A/1, tem direito ao "
        "reembolso desse montante."
    )
    assert says in text and says in html
    assert "nada a pagar" not in text
    assert f"Valor creditado: {TOTAL}" in text  # the credit note itself is for the whole


def test_a_plan_with_its_first_instalment_paid_refunds_that_instalment(
    invoice, clerk, django_capture_on_commit_callbacks
):
    request = request_services.submit_request(
        user=clerk,
        request_type=RequestType.INSTALMENTS,
        contract=invoice.contract,
        invoice=invoice,
        channel=Channel.NONE,
        contact_value="",
        payload={"instalments": 3},
    )
    plan = accept_payment_plan(
        service_request=request,
        instalments=3,
        first_due_date=datetime.date(2026, 12, 1),
        actor=clerk,
        today=datetime.date(2026, 11, 2),
    )
    first = plan.instalments.order_by("number").first()
    assert first.amount == Decimal("9.01")  # 27,05 € in 3: 9,01 + 9,01 + 9,03
    pay_instalment(first, source="Multibanco")

    text, html = cancel(invoice, django_capture_on_commit_callbacks)

    says = (
        f"Como já tinha pago 9,01 € dos {TOTAL} da fatura FT 2026A/1, tem direito ao "
        "reembolso desse montante."
    )
    assert says in text and says in html


def test_a_paid_invoice_refunds_its_whole_amount(invoice, django_capture_on_commit_callbacks):
    pay_invoice(invoice)

    text, html = cancel(invoice, django_capture_on_commit_callbacks)

    says = f"Como já tinha pago a fatura FT 2026A/1, tem direito ao reembolso de {TOTAL}."
    assert says in text and says in html


@pytest.mark.parametrize("history", ["unpaid", "payment reversed"])
def test_an_invoice_with_nothing_paid_leaves_nothing_to_pay(
    invoice, clerk, django_capture_on_commit_callbacks, history
):
    if history == "payment reversed":  # paid by mistake and reversed before the credit note
        reverse_payment(pay_invoice(invoice), reason="Pagamento registado na conta errada.")

    text, html = cancel(invoice, django_capture_on_commit_callbacks)

    assert NOTHING_TO_PAY in text and NOTHING_TO_PAY in html
    assert "reembolso" not in text and "reembolso" not in html
