"""The direct debit file (ISO 20022 pain.008, SEPA Core) and the debtor's revocation.

``collect_due_invoices`` writes, with ``sepaxml`` (which validates the file against the
schema it ships as it writes), one file for the invoices of direct-debit accounts due on a
day: open, not held by an open complaint (holds.not_on_hold), never collected before (an
invoice has one DirectDebitCollection at most, a unique constraint). Each debit carries the
utility's creditor identifier, the mandate's reference and signature date, the sequence type
(FRST for a mandate's first debit, RCUR after), the amount still open to the cent, and the
invoice number as end-to-end id, by which the bank's answers name it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import DecimalField, Exists, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from sepaxml import SepaDD

from balcao.accounts.models import User
from balcao.billing.models import DirectDebitMandate, DocumentType, Invoice
from balcao.contracts.models import BillingAccount
from balcao.core.money import CENT
from balcao.payments.holds import not_in_payment_plan, not_on_hold
from balcao.payments.models import (
    DirectDebitBatch,
    DirectDebitCollection,
    Receipt,
    ReceiptLine,
    SequenceType,
)

# ISO 20022 version of the file: 001.02 is the one every Portuguese bank takes (SEPA
# "Customer-to-Bank" implementation guidelines; 001.08 is accepted by most since 2023).
PAIN_008_SCHEMA = "pain.008.001.02"
PROGRESS_EVERY = 100


@dataclass
class CollectionCounts:
    total: int = 0
    seen: int = 0
    collected: int = 0
    first: int = 0
    recurrent: int = 0
    skipped: int = 0  # no mandate in force for the account
    amount: Decimal = Decimal("0.00")
    errors: list[str] = field(default_factory=list)


def invoices_to_collect(due_date: datetime.date) -> QuerySet[Invoice]:
    """The invoices a file for ``due_date`` debits: open invoices of direct-debit accounts
    due that day, not on hold, not collected already; each with ``settled``, what its
    active receipts paid of it already (receipts.settled_amount, in the same query)."""
    collected = DirectDebitCollection.objects.filter(invoice=OuterRef("pk"))
    settled = (
        ReceiptLine.objects.filter(invoice=OuterRef("pk"), receipt__status=Receipt.Status.ISSUED)
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    invoices = (
        Invoice.objects.annotate(
            settled=Coalesce(Subquery(settled), Value(Decimal("0.00")), output_field=DecimalField())
        )
        .filter(
            document_type=DocumentType.INVOICE,
            status=Invoice.Status.ISSUED,
            due_date=due_date,
            account__direct_debit=True,
        )
        .exclude(Exists(collected))
    )
    # An invoice split in instalments is paid instalment by instalment, not debited whole.
    return not_on_hold(not_in_payment_plan(invoices)).order_by("pk")


def _creditor_config() -> dict:
    utility = settings.UTILITY
    return {
        "name": utility["name"],
        "IBAN": utility["creditor_iban"],
        "BIC": utility["creditor_bic"],
        "batch": True,
        "creditor_id": utility["creditor_id"],
        "currency": "EUR",
    }


def _mandates_with_history(mandate_pks: set[int]) -> set[int]:
    """Mandates that have a debit sent or settled already: their next one is RCUR. A first
    debit returned by the bank does not count (the next one is FRST again)."""
    return set(
        DirectDebitCollection.objects.filter(
            mandate_id__in=mandate_pks,
            status__in=[DirectDebitCollection.Status.SENT, DirectDebitCollection.Status.SETTLED],
        ).values_list("mandate_id", flat=True)
    )


def start_collection(*, due_date: datetime.date, actor: User | None) -> DirectDebitBatch:
    """The admin's "Gerar ficheiro de débitos diretos": a batch queued for the background
    task (tasks.direct_debit_file_task), whose page shows how far it got."""
    from balcao.payments.tasks import direct_debit_file_task

    batch = DirectDebitBatch.objects.create(due_date=due_date, created_by=actor)
    transaction.on_commit(lambda: direct_debit_file_task.enqueue(batch_id=batch.pk))
    return batch


def collect_due_invoices(
    *,
    due_date: datetime.date,
    actor: User | None = None,
    batch: DirectDebitBatch | None = None,
    progress: Callable[[CollectionCounts], None] | None = None,
) -> DirectDebitBatch:
    """Write the pain.008 file of ``due_date`` and record each debit in it, in one
    transaction (the invoices locked: two runs for one day cannot collect one invoice twice).
    A day with nothing to collect gives a batch without a file. Safe to repeat."""
    if batch is None:
        batch = DirectDebitBatch.objects.create(due_date=due_date, created_by=actor)
    DirectDebitBatch.objects.filter(pk=batch.pk).update(status=DirectDebitBatch.Status.RUNNING)
    counts = CollectionCounts()
    try:
        with transaction.atomic():
            _collect(batch, counts, progress)
    except Exception as error:
        DirectDebitBatch.objects.filter(pk=batch.pk).update(
            status=DirectDebitBatch.Status.FAILED,
            errors=str(error),
            finished_at=timezone.now(),
        )
        raise
    batch.refresh_from_db()
    return batch


def _collect(
    batch: DirectDebitBatch,
    counts: CollectionCounts,
    progress: Callable[[CollectionCounts], None] | None,
) -> None:
    invoices = list(
        invoices_to_collect(batch.due_date)
        .select_for_update(of=("self",))
        .select_related("account")
    )
    counts.total = len(invoices)
    DirectDebitBatch.objects.filter(pk=batch.pk).update(total=counts.total)
    mandates = {
        mandate.account_id: mandate
        for mandate in DirectDebitMandate.objects.filter(
            account_id__in={invoice.account_id for invoice in invoices},
            status=DirectDebitMandate.Status.ACTIVE,
        )
    }
    with_history = _mandates_with_history({mandate.pk for mandate in mandates.values()})
    sepa = SepaDD(_creditor_config(), schema=PAIN_008_SCHEMA, clean=True)
    collections = []
    for invoice in invoices:
        counts.seen += 1
        mandate = mandates.get(invoice.account_id)
        # receipts.open_amount, from the query's annotation
        amount = invoice.gross_total - invoice.settled  # type: ignore[attr-defined]
        if mandate is None or amount <= 0:
            counts.skipped += 1
            counts.errors.append(
                _("%(invoice)s: a conta %(account)s não tem autorização de débito em vigor.")
                % {"invoice": invoice.number, "account": invoice.account.account_number}
            )
        else:
            first = mandate.pk not in with_history
            with_history.add(mandate.pk)
            sequence_type = SequenceType.FIRST if first else SequenceType.RECURRENT
            sepa.add_payment(
                {
                    "name": mandate.debtor_name,
                    "IBAN": mandate.iban,
                    **({"BIC": mandate.bic} if mandate.bic else {}),
                    "amount": int(amount / CENT),
                    "type": sequence_type.value,
                    "collection_date": batch.due_date,
                    "mandate_id": mandate.reference,
                    "mandate_date": mandate.signed_at,
                    "description": _("Fatura %(number)s — %(utility)s")
                    % {"number": invoice.number, "utility": settings.UTILITY["short_name"]},
                    "endtoend_id": invoice.number,
                }
            )
            collections.append(
                DirectDebitCollection(
                    batch=batch,
                    invoice=invoice,
                    mandate=mandate,
                    amount=amount,
                    sequence_type=sequence_type,
                    end_to_end_id=invoice.number,
                )
            )
            counts.collected += 1
            counts.amount += amount
            if first:
                counts.first += 1
            else:
                counts.recurrent += 1
        if progress and (counts.seen % PROGRESS_EVERY == 0 or counts.seen == counts.total):
            DirectDebitBatch.objects.filter(pk=batch.pk).update(seen=counts.seen)
            progress(counts)
    batch.seen = counts.seen
    batch.total = counts.total
    batch.collections_count = counts.collected
    batch.first_count = counts.first
    batch.recurrent_count = counts.recurrent
    batch.skipped = counts.skipped
    batch.total_amount = counts.amount
    batch.errors = "\n".join(counts.errors)
    batch.status = DirectDebitBatch.Status.DONE
    batch.finished_at = timezone.now()
    if collections:
        xml = sepa.export(validate=True)  # sepaxml raises if the file breaks the schema
        batch.message_id = sepa.msg_id
        batch.schema = PAIN_008_SCHEMA
        batch.file.save(
            f"pain008-{batch.due_date:%Y%m%d}-{batch.pk}.xml", ContentFile(xml), save=False
        )
        DirectDebitCollection.objects.bulk_create(collections)
    batch.save()


def recipients_for(account: BillingAccount) -> list[str]:
    """Where news about the account's payments goes: the holder's e-mail and the e-invoice
    address (once each)."""
    found: list[str] = []
    for address in (account.customer.email, account.e_invoice_email):
        address = (address or "").strip()
        if address and address.lower() not in {a.lower() for a in found}:
            found.append(address)
    return found
