"""Debits sent to the bank and what the bank says of them, for the tests of its answers
(the command's and the admin upload's): build the file with ``bank_files.pain002_report`` or
``camt054_notification`` from these outcomes."""

import datetime

from balcao.billing.tests.factories import issue_month_invoice
from balcao.payments.bank_files import BankOutcome
from balcao.payments.services.direct_debit import collect_due_invoices


def collected(contract, months):
    """Invoices of ``contract`` for ``months`` (2026), each sent to the bank on its due date."""
    invoices = []
    for month in months:
        invoice = issue_month_invoice(contract, datetime.date(2026, month, 1))
        collect_due_invoices(due_date=invoice.due_date)
        invoices.append(invoice)
    return invoices


def outcome(invoice, *, code="", on=None):
    """The bank's word on ``invoice``'s debit: settled, or returned with ``code``."""
    return BankOutcome(
        end_to_end_id=invoice.number,
        settled=not code,
        reason_code=code,
        on=on or invoice.due_date,
        amount=invoice.gross_total,
    )
