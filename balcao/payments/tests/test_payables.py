"""The open payables a Multibanco line can pay: the same invoices and references as the
invoice pages show (billing.documents.multibanco_for), read in a few queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from balcao.billing.documents import multibanco_for
from balcao.billing.models import Invoice
from balcao.billing.tests.factories import issue_month_invoice
from balcao.contracts.models import BillingAccount
from balcao.payments import payables
from balcao.payments.payables import Payable, PayableIndex, open_payables, register_payable_source

pytestmark = pytest.mark.django_db


def test_open_payables_follow_multibanco_for(ana, bruno):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    loja = ana.subscriptions.get(custom_name="Loja").contract
    BillingAccount.objects.filter(pk=loja.account_id).update(direct_debit=True)
    invoices = [
        issue_month_invoice(casa, datetime.date(2026, 8, 1), paid=True),
        issue_month_invoice(casa, datetime.date(2026, 9, 1)),
        issue_month_invoice(loja, datetime.date(2026, 9, 1)),  # on direct debit
        issue_month_invoice(bruno.subscriptions.get().contract, datetime.date(2026, 9, 1)),
    ]
    with CaptureQueriesContext(connection) as queries:
        found = {p.invoice_id: (p.reference, p.amount) for p in open_payables()}
    assert len(queries) <= 3
    shown = {}
    for invoice in Invoice.objects.filter(pk__in=[i.pk for i in invoices]):
        reference = multibanco_for(invoice)
        if reference is not None:
            shown[invoice.pk] = (reference.reference, reference.amount)
    assert found == shown
    assert len(shown) == 2


def test_another_source_adds_its_payables(monkeypatch, ana):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    instalment = Payable("123000150", invoice.gross_total / 2, invoice.pk, casa.account_id,
                         invoice.gross_total / 2, "instalment")  # fmt: skip
    monkeypatch.setattr(payables, "_SOURCES", [])
    register_payable_source(lambda: [instalment])
    index = PayableIndex.build()
    assert index.candidates("123000150", instalment.amount) == [instalment]
    assert {p.kind for p in open_payables()} == {"invoice", "instalment"}


def test_equal_payables_of_one_invoice_are_offered_one_after_the_other():
    first, second = (
        Payable("123000150", Decimal("7.74"), 1, 1, Decimal("7.74"), "instalment", pk)
        for pk in (10, 11)
    )
    other_invoice = Payable("123000150", Decimal("7.74"), 2, 2, Decimal("7.74"), "invoice")
    index = PayableIndex([first, second])
    assert index.candidates("123000150", Decimal("7.74")) == [first]
    index.take(first)
    assert index.candidates("123000150", Decimal("7.74")) == [second]
    index.take(second)
    assert index.candidates("123000150", Decimal("7.74")) == []
    assert index.paid_now["123000150"] == second
    # Two invoices with one reference and amount are still ambiguous.
    both = PayableIndex([first, second, other_invoice])
    assert both.candidates("123000150", Decimal("7.74")) == [first, other_invoice]
