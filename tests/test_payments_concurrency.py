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


def test_an_import_and_the_counter_paying_one_instalment_at_once_pay_each_instalment_once(
    ana, bruno, clerk
):
    """A file pays instalments 1 and 2 of four plans (two lines of their shared reference)
    while the counter pays instalment 1 of each: whichever locks the invoice first pays
    instalment 1, the other pays instalment 2 or is refused; none is paid twice, no money
    is taken for an instalment that is not there, and no deadlock."""
    from balcao.payments.models import Instalment
    from balcao.payments.services.multibanco_import import import_payments
    from balcao.payments.services.plans import instalment_reference, pay_instalment
    from balcao.payments.tests.factories import plan_in_instalments
    from balcao.payments.tests.multibanco_files import line, notification

    casa, loja = (ana.subscriptions.get(custom_name=name).contract for name in ("Casa", "Loja"))
    owned = [(ana, casa, SEPTEMBER), (ana, loja, SEPTEMBER)]
    owned += [(bruno, bruno.subscriptions.get().contract, SEPTEMBER)]
    owned += [(ana, casa, datetime.date(2026, 10, 1))]  # issued in date order
    firsts, lines = [], []
    for user, contract, month in owned:
        invoice = issue_month_invoice(contract, month)
        first = plan_in_instalments(invoice, user, clerk)[0]
        firsts.append(first)
        reference = instalment_reference(invoice, first.amount).reference
        lines += [line(reference=reference, amount=first.amount) for _ in range(2)]
    series_for(DocumentType.RECEIPT)
    data = notification(*lines)

    def worker(i):
        if i == 0:
            return import_payments(name="SIBS.csv", data=data)[1].matched
        paid = 0
        for first in firsts:
            try:
                pay_instalment(first, method="cash", source="Balcão")
                paid += 1
            except PaymentError:  # the file paid it first
                pass
        return paid

    results, errors = run_together(2, worker)

    assert not errors, errors
    assert results[0] + results[1] == 2 * len(firsts)
    for first in firsts:
        instalments = list(Instalment.objects.filter(plan=first.plan).order_by("number"))
        assert [i.is_paid for i in instalments] == [True, True, False]
        paid_lines = ReceiptLine.objects.filter(invoice=first.plan.invoice)
        assert sorted(rl.pk for rl in paid_lines) == sorted(
            i.receipt_line_id for i in instalments[:2]
        )
    receipts = list(Receipt.objects.order_by("sequence").values_list("sequence", flat=True))
    assert receipts == list(range(1, 2 * len(firsts) + 1))
