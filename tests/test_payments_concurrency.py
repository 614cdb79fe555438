"""Receipt numbers stay gapless under concurrent payment workers, and no invoice is paid
twice (issue 13: "receipts are gapless under 8 concurrent workers on PostgreSQL").

8 threads, each with its own database connection, register payments at once: each pays
invoices of its own, some fail after taking a receipt number and roll back, and all of them
race to pay the same few invoices. The receipt series must end with 1..n, no gap, no
duplicate, and each raced invoice paid by exactly one receipt. Runs on PostgreSQL (invoices
and the series locked with SELECT … FOR UPDATE) and on SQLite (IMMEDIATE transactions).
"""

import datetime

import pytest
from django.db import transaction

from balcao.billing.models import DocumentType, Invoice, InvoiceSeries
from balcao.billing.services.invoices import series_for
from balcao.billing.tests.factories import issue_month_invoice
from balcao.contracts.tests.factories import ContractFactory
from balcao.payments.models import Payment, Receipt, ReceiptLine
from balcao.payments.services.receipts import PaymentError
from balcao.payments.tests.factories import pay_invoice
from tests.test_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 8
PER_WORKER = 4
RACED = 3
SEPTEMBER = datetime.date(2026, 9, 1)


class Interrupted(Exception):
    pass


def test_concurrent_payments_number_receipts_without_gaps_and_pay_each_invoice_once():
    own = [issue_month_invoice(ContractFactory(), SEPTEMBER) for _ in range(WORKERS * PER_WORKER)]
    raced = [issue_month_invoice(ContractFactory(), SEPTEMBER) for _ in range(RACED)]
    series_for(DocumentType.RECEIPT)  # the series exists before the workers start

    def worker(i):
        registered = refused = 0
        for n in range(PER_WORKER):
            try:
                with transaction.atomic():
                    pay_invoice(own[i * PER_WORKER + n], transaction_id=f"W{i}-{n}")
                    if n == 1:  # a failure after numbering: all of it rolled back
                        raise Interrupted
                registered += 1
            except Interrupted:
                pass
        for invoice in raced:
            try:
                pay_invoice(invoice)
                registered += 1
            except PaymentError:  # another worker paid it first
                refused += 1
        return registered, refused

    results, errors = run_together(WORKERS, worker)

    assert not errors, errors
    expected = WORKERS * (PER_WORKER - 1) + RACED
    assert sum(r for r, _ in results) == expected
    assert sum(f for _, f in results) == WORKERS * RACED - RACED
    receipts = list(Receipt.objects.order_by("sequence"))
    assert [r.sequence for r in receipts] == list(range(1, expected + 1))
    assert len({r.number for r in receipts}) == len({r.atcud for r in receipts}) == expected
    assert Payment.objects.count() == expected
    series = InvoiceSeries.objects.get(document_type=DocumentType.RECEIPT)
    assert series.last_number == expected
    for invoice in raced:
        assert ReceiptLine.objects.filter(invoice=invoice).count() == 1
    # The interrupted payments left their invoices open; every other one is paid.
    interrupted = {own[i * PER_WORKER + 1].pk for i in range(WORKERS)}
    statuses = dict(Invoice.objects.values_list("pk", "status"))
    assert {pk for pk, status in statuses.items() if status == "issued"} == interrupted
