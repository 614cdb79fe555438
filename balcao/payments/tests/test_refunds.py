"""Refunds owed when a credit note cancels an invoice the customer had paid: recorded with
the credit note for what was paid, listed in "Reembolsos por fazer" (with the mandate's IBAN,
masked) and counted on the admin's first page for Faturação, who marks each done once;
Atendimento has no access."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from balcao.billing.services.invoices import issue_credit_note
from balcao.billing.tests.factories import issue_month_invoice
from balcao.payments.models import Refund
from balcao.payments.services.receipts import reverse_payment
from balcao.payments.tests.factories import pay_invoice

pytestmark = pytest.mark.django_db

REFUNDS = "/admin/payments/refund/"


@pytest.fixture
def invoice(loja):
    """September's invoice of ana's Loja (its account has a mandate in force)."""
    return issue_month_invoice(loja, datetime.date(2026, 9, 1))


def cancel(invoice):
    return issue_credit_note(invoice=invoice, reason="Leitura mal registada.")


@pytest.fixture
def owed(invoice):
    """The invoice paid in full, then cancelled by a credit note: its refund."""
    pay_invoice(invoice)
    cancel(invoice)
    return Refund.objects.get()


def refunds_to_do(index_page) -> list[int]:
    """The count of "Reembolsos por fazer" on the admin's first page ([] when not shown)."""
    work = index_page.context["pending_work"]
    return [w.count for w in work if w.label == "Reembolsos por fazer"]


@pytest.fixture
def billing_client(client, billing_clerk):
    client.force_login(billing_clerk)
    return client


def test_a_paid_invoice_cancelled_owes_back_its_whole_amount(invoice):
    pay_invoice(invoice)

    note = cancel(invoice)

    refund = Refund.objects.get()
    assert (refund.invoice, refund.credit_note, refund.account) == (
        invoice,
        note,
        invoice.account,
    )
    assert refund.amount == invoice.gross_total > 0
    assert refund.status == "to_refund" and refund.done_at is None


def test_a_part_paid_invoice_owes_back_the_part_paid(invoice):
    pay_invoice(invoice, amount=Decimal("10.00"))

    cancel(invoice)

    assert Refund.objects.get().amount == Decimal("10.00")


@pytest.mark.parametrize("history", ["unpaid", "payment reversed"])
def test_nothing_paid_owes_nothing(invoice, history):
    if history == "payment reversed":
        reverse_payment(pay_invoice(invoice), reason="Pagamento registado na conta errada.")

    cancel(invoice)

    assert not Refund.objects.exists()


def test_faturacao_sees_the_refund_with_the_masked_iban_and_its_count(
    billing_client, billing_clerk, owed
):
    page = billing_client.get(REFUNDS, {"status__exact": "to_refund"}).content.decode()

    assert owed.invoice.number in page and owed.credit_note.number in page
    assert "PT50 **** **** **** 0154" in page
    assert "PT50000201231234567890154" not in page
    assert "Marcar como reembolsado" in page
    found = billing_client.get(REFUNDS, {"q": owed.invoice.customer_nif}).content.decode()
    assert owed.invoice.number in found
    none = billing_client.get(REFUNDS, {"q": "NC 2099Z/9"}).content.decode()
    assert owed.invoice.number not in none

    index = billing_client.get("/admin/")
    assert refunds_to_do(index) == [1]
    [work] = [w for w in index.context["pending_work"] if w.label == "Reembolsos por fazer"]
    assert work.url == f"{REFUNDS}?status__exact=to_refund"
    assert "Reembolsos por fazer" in index.content.decode()


def test_the_clerk_marks_it_refunded_once(billing_client, billing_clerk, owed):
    url = f"{REFUNDS}{owed.pk}/reembolsado/"
    action = billing_client.post(
        REFUNDS, {"action": "mark_refunded", "_selected_action": [owed.pk]}
    )
    assert action["Location"] == url
    assert billing_client.get(url).status_code == 200

    no_method = billing_client.post(url, {"note": "Transferência."})
    assert no_method.status_code == 200
    assert "Este campo é obrigatório." in no_method.content.decode()

    response = billing_client.post(url, {"method": "transfer", "note": "Transferência 12/11."})

    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Reembolso de ") and owed.invoice.number in message
    owed.refresh_from_db()
    assert (owed.status, owed.method, owed.note, owed.done_by) == (
        "refunded",
        "transfer",
        "Transferência 12/11.",
        billing_clerk,
    )
    assert owed.done_at is not None
    assert refunds_to_do(billing_client.get("/admin/")) == [0]

    again = billing_client.post(url, {"method": "cash", "note": ""})

    assert again.status_code == 200
    assert "Este reembolso já foi feito em" in again.content.decode()
    owed.refresh_from_db()
    assert (owed.method, owed.note) == ("transfer", "Transferência 12/11.")


def test_atendimento_has_no_access_to_refunds(clerk_client, clerk, owed):
    assert clerk_client.get(REFUNDS).status_code == 403
    refused = clerk_client.post(f"{REFUNDS}{owed.pk}/reembolsado/", {"method": "cash"})
    assert refused.status_code == 403
    owed.refresh_from_db()
    assert owed.status == "to_refund"
    assert refunds_to_do(clerk_client.get("/admin/")) == []
