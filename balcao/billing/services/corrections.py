"""Correcting an issued invoice (DOMAIN.md "Invoices"): never an edit, a credit note (NC)
for the whole invoice that references it, then a new invoice for the same period, computed
again from the readings as they stand now."""

import datetime

from django.db import transaction
from django.utils import timezone

from balcao.accounts.models import User
from balcao.billing.models import Invoice
from balcao.billing.services.billing_run import (
    Tariffs,
    bill_contract,
    load_batch,
)
from balcao.billing.services.invoices import IssueError, issue_credit_note


@transaction.atomic
def correct_invoice(
    *,
    invoice: Invoice,
    reason: str,
    actor: User | None = None,
    issue_date: datetime.date | None = None,
) -> tuple[Invoice, Invoice]:
    """Issue the credit note that cancels ``invoice`` and the invoice that replaces it, in
    one transaction: both or neither. Returns (credit note, new invoice)."""
    issue_date = issue_date or timezone.localdate()
    note = issue_credit_note(invoice=invoice, reason=reason, actor=actor, issue_date=issue_date)
    month = invoice.period_start.replace(day=1)
    batch = load_batch([invoice.contract_id], month)
    replacement = bill_contract(
        batch.contracts[0],
        month=month,
        issue_date=issue_date,
        batch=batch,
        tariffs=Tariffs(),
        actor=actor,
    )
    if replacement is None:  # the period has another invoice in force: nothing to replace
        raise IssueError(f"{invoice.number}: the period has another invoice in force.")
    return note, replacement
