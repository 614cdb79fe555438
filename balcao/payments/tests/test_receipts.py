"""Registering and reversing payments through the service: receipts, gapless numbers,
invoices paid in full, and what a reversal puts back."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from balcao.billing.models import Invoice
from balcao.billing.tests.factories import issue_month_invoice
from balcao.payments.models import Payment, PaymentMethod, Receipt
from balcao.payments.services.receipts import (
    Allocation,
    PaymentError,
    open_amount,
    register_payment,
    reverse_payment,
    settle_in_full,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def casa(ana):
    return ana.subscriptions.get(custom_name="Casa").contract


def pay(invoices, amount=None, **kwargs):
    allocations = settle_in_full(invoices)
    return register_payment(
        account=invoices[0].account,
        method=kwargs.pop("method", PaymentMethod.CASH),
        paid_at=timezone.now(),
        amount=amount if amount is not None else sum(a.amount for a in allocations),
        allocations=allocations,
        source="Balcão",
        **kwargs,
    )


def test_a_payment_issues_a_receipt_and_pays_the_invoice(casa):
    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    payment = pay([invoice])
    receipt = payment.receipt
    assert receipt.number == "RG 2026A/1"
    assert receipt.atcud == "RGDF7T5H-1"
    assert receipt.gross_total == invoice.gross_total
    assert [line.invoice for line in receipt.lines.all()] == [invoice]
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert open_amount(invoice) == Decimal("0.00")


def test_one_payment_settles_several_invoices_and_numbers_have_no_gaps(casa):
    first = issue_month_invoice(casa, datetime.date(2026, 8, 1))
    second = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    third = issue_month_invoice(casa, datetime.date(2026, 10, 1))
    both = pay([first, second])
    with pytest.raises(PaymentError):
        pay([third], amount=third.gross_total + 1)  # refused: no number taken
    last = pay([third])
    assert both.receipt.lines.count() == 2
    assert [both.receipt.sequence, last.receipt.sequence] == [1, 2]


def test_a_part_payment_leaves_the_invoice_open(casa):
    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    part = Decimal("5.00")
    register_payment(
        account=invoice.account,
        method=PaymentMethod.TRANSFER,
        paid_at=timezone.now(),
        amount=part,
        allocations=[Allocation(invoice, part)],
        source="Balcão",
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED
    assert open_amount(invoice) == invoice.gross_total - part


@pytest.mark.parametrize("problem", ["paid", "other_account", "too_much", "mismatch"])
def test_what_cannot_be_paid_is_refused_and_nothing_is_written(casa, ana, bruno, problem):
    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    account, allocations, amount = invoice.account, settle_in_full([invoice]), invoice.gross_total
    if problem == "paid":
        pay([invoice])
    elif problem == "other_account":
        account = bruno.subscriptions.get().contract.account
    elif problem == "too_much":
        allocations = [Allocation(invoice, invoice.gross_total + 1)]
        amount = invoice.gross_total + 1
    else:
        amount = invoice.gross_total - 1
    before = (Payment.objects.count(), Receipt.objects.count())
    with pytest.raises(PaymentError):
        register_payment(
            account=account,
            method=PaymentMethod.CASH,
            paid_at=timezone.now(),
            amount=amount,
            allocations=allocations,
            source="Balcão",
        )
    assert (Payment.objects.count(), Receipt.objects.count()) == before


def test_the_same_transaction_cannot_pay_twice(casa):
    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    other = issue_month_invoice(casa, datetime.date(2026, 10, 1))
    pay([invoice], method=PaymentMethod.MULTIBANCO, transaction_id="T1")
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        pay([other], method=PaymentMethod.MULTIBANCO, transaction_id="T1")


def test_a_reversal_cancels_the_receipt_and_reopens_the_invoices(casa, clerk):
    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    payment = pay([invoice])
    with pytest.raises(PaymentError):
        reverse_payment(payment, reason="  ")
    reversal = reverse_payment(payment, reason="Registado na conta errada", actor=clerk)
    assert reversal.reverses == payment and reversal.amount == payment.amount
    payment.receipt.refresh_from_db()
    assert payment.receipt.status == Receipt.Status.CANCELLED
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED
    assert invoice.events.last().kind == "reopened"
    assert open_amount(invoice) == invoice.gross_total
    with pytest.raises(PaymentError):
        reverse_payment(payment, reason="De novo")
    # Paid again, with the next number.
    assert pay([invoice]).receipt.sequence == 2
