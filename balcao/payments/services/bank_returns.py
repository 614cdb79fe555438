"""The bank's answers to the direct debit files (``manage.py import_sepa_returns FILE``).

A debit collected issues its receipt: the file's settled debits are paid together through
``bulk_payments.BulkPayments`` (register_payment's rules, locks, gapless receipt numbers and
events; method direct debit, the end-to-end id as transaction id), and their collections
are marked settled in a few statements, so a file of 10⁵ debits takes seconds, not hours.

A debit returned (an R-transaction; few in a file, taken one by one) is recorded on its
DirectDebitCollection with the reason code; a receipt issued at settlement is reversed, so
the invoice is "Por pagar" again; it gets a new due date (RETURN_GRACE_DAYS later) and is
paid by its Multibanco reference; and the customer hears it at once: an e-mail (after
commit, in the background) and a notice on Início for the contract, which they may dismiss.

One transaction per file. A debit already settled or returned as the file says is left as
it is, so importing the same file twice changes nothing. The command and the admin's upload
("Importar devoluções do banco") both keep the file as a ``BankReturnFile`` (the same bytes
are imported once: ``received_files``) and import it with ``perform_returns_import``.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.billing.documents import invoice_multibanco_reference
from balcao.core.links import absolute_url
from balcao.core.mail import send_templated_email
from balcao.core.money import format_euros
from balcao.core.transitions import check_transition
from balcao.notices.models import Notice
from balcao.notices.services import publish_notice
from balcao.payments.bank_files import BankOutcome, read_bank_file, reason_text
from balcao.payments.models import (
    BankReturnFile,
    DirectDebitCollection,
    Payment,
    PaymentMethod,
)
from balcao.payments.services import received_files
from balcao.payments.services.bulk_payments import BulkPayments, PaymentDraft
from balcao.payments.services.direct_debit import recipients_for
from balcao.payments.services.receipts import reverse_payment

# Days the customer has to pay a returned debit by Multibanco, from the day it is known.
RETURN_GRACE_DAYS = 10
# How long the notice of a returned debit stays on Início (unless dismissed).
RETURN_NOTICE_DAYS = 45


@dataclass
class ReturnsCounts:
    read: int = 0
    settled: int = 0
    returned: int = 0
    unchanged: int = 0
    unmatched: int = 0
    errors: list[str] = field(default_factory=list)


# Collections marked settled per UPDATE.
UPDATE_CHUNK = 2000


def receive_returns(*, name: str, data: bytes, actor: User | None = None) -> BankReturnFile:
    """Record a bank's answer (queued), kept as it came. Raises BankFileError for a file that
    is not a pain.002 or camt.054, AlreadyImported for one imported before."""
    bank_file = read_bank_file(data)
    return received_files.receive_file(
        BankReturnFile,
        name=name,
        data=data,
        actor=actor,
        kind=bank_file.kind,
        message_id=bank_file.message_id[:35],
    )


def start_returns_import(*, name: str, data: bytes, actor: User | None = None) -> BankReturnFile:
    """The admin's upload: record the file and hand its import to the background worker."""
    from balcao.payments.tasks import import_bank_return_file_task

    returns_file = receive_returns(name=name, data=data, actor=actor)
    transaction.on_commit(lambda: import_bank_return_file_task.enqueue(file_id=returns_file.pk))
    return returns_file


def perform_returns_import(returns_file: BankReturnFile) -> ReturnsCounts:
    """Import a received answer: running, then its debits in one transaction, then done
    (or failed with the error: nothing of the file is written then)."""

    def work(locked: BankReturnFile, data: bytes) -> ReturnsCounts:
        counts = import_bank_returns(
            content=data, source=locked.name, actor=locked.imported_by, returns_file=locked
        )
        locked.lines_read, locked.settled, locked.returned = (
            counts.read,
            counts.settled,
            counts.returned,
        )
        locked.already_known, locked.unmatched = counts.unchanged, counts.unmatched
        locked.warnings = "\n".join(counts.errors)
        return counts

    return received_files.run_import(
        returns_file,
        work=work,
        fields=["lines_read", "settled", "returned", "already_known", "unmatched", "warnings"],
    )


def import_returns(
    *, name: str, data: bytes, actor: User | None = None
) -> tuple[BankReturnFile, ReturnsCounts]:
    """``manage.py import_sepa_returns``: receive and import at once."""
    returns_file = receive_returns(name=name, data=data, actor=actor)
    return returns_file, perform_returns_import(returns_file)


@transaction.atomic
def import_bank_returns(
    *,
    content: bytes,
    source: str,
    actor: User | None = None,
    returns_file: BankReturnFile | None = None,
) -> ReturnsCounts:
    """Apply a pain.002 or camt.054 file (bank_files.read_bank_file). BankFileError if it
    is neither."""
    bank_file = read_bank_file(content)
    counts = ReturnsCounts()
    label = f"{bank_file.kind} {bank_file.message_id or source}"
    # The debits the file names, locked in one query (in pk order: two imports cannot
    # deadlock) for the transaction.
    collections = {
        collection.end_to_end_id: collection
        for collection in DirectDebitCollection.objects.select_for_update(of=("self",))
        .select_related("invoice__account__customer", "invoice__contract", "mandate")
        .filter(end_to_end_id__in={o.end_to_end_id for o in bank_file.outcomes})
        .order_by("pk")
    }
    # The drafts of every debit the file may settle, so that BulkPayments locks all their
    # invoices (by key) at once, before the receipt series (register_payment's order).
    drafts: dict[str, PaymentDraft] = {}
    for outcome in bank_file.outcomes:
        collection = collections.get(outcome.end_to_end_id)
        if (
            outcome.settled
            and collection is not None
            and collection.status == DirectDebitCollection.Status.SENT
            and outcome.end_to_end_id not in drafts
        ):
            drafts[outcome.end_to_end_id] = _draft(collection, outcome, label)
    settlements = _Settlements(
        BulkPayments(list(drafts.values()), actor=actor) if drafts else None, counts
    )
    # In the file's order, as if line by line: a settled debit waits in the batch (its
    # collection counts as settled from then on); a return of one waiting writes the batch
    # first, so that its receipt exists to be reversed.
    for outcome in bank_file.outcomes:
        counts.read += 1
        collection = collections.get(outcome.end_to_end_id)
        if collection is None:
            counts.unmatched += 1
            counts.errors.append(
                _("%(id)s: nenhum débito direto com esta identificação.")
                % {"id": outcome.end_to_end_id}
            )
            continue
        if outcome.settled:
            if collection.status != DirectDebitCollection.Status.SENT or settlements.waits(
                collection
            ):
                counts.unchanged += 1  # settled (or returned) already: the file was read before
                continue
            settlements.add(collection, drafts[outcome.end_to_end_id], outcome.on)
        else:
            if settlements.waits(collection):
                settlements.write()
            _return(collection, outcome, label, actor, counts, returns_file)
    settlements.write()
    return counts


def _draft(collection: DirectDebitCollection, outcome: BankOutcome, label: str) -> PaymentDraft:
    invoice = collection.invoice
    return PaymentDraft(
        account_id=invoice.account_id,
        method=PaymentMethod.DIRECT_DEBIT,
        paid_at=timezone.make_aware(datetime.datetime.combine(outcome.on, datetime.time(9))),
        amount=collection.amount,
        allocations=[(invoice.pk, collection.amount)],
        source=label[:200],
        transaction_id=collection.end_to_end_id,
    )


class _Settlements:
    """The settled debits waiting to be paid together (``write``), in the file's order."""

    def __init__(self, bulk: BulkPayments | None, counts: ReturnsCounts) -> None:
        self.bulk = bulk
        self.counts = counts
        self.waiting: dict[int, tuple[DirectDebitCollection, PaymentDraft, datetime.date]] = {}

    def waits(self, collection: DirectDebitCollection) -> bool:
        return collection.pk in self.waiting

    def add(
        self, collection: DirectDebitCollection, draft: PaymentDraft, on: datetime.date
    ) -> None:
        check_transition(collection, DirectDebitCollection.Status.SETTLED)
        self.waiting[collection.pk] = (collection, draft, on)

    def write(self) -> None:
        """Register the waiting payments (BulkPayments: register_payment's checks; a draft
        refused is reported and its debit stays sent), then mark their debits settled."""
        if not self.waiting:
            return
        assert self.bulk is not None  # a debit waits only when the file had drafts
        waiting = list(self.waiting.values())
        self.waiting = {}
        self.bulk.register([draft for _collection, draft, _on in waiting])
        by_day: dict[datetime.date, list[int]] = {}
        for collection, draft, on in waiting:
            if draft.payment_id is None:
                self.counts.errors.append(f"{collection.end_to_end_id}: {draft.refused}")
                continue
            collection.status = DirectDebitCollection.Status.SETTLED
            collection.payment_id = draft.payment_id
            collection.settled_on = on
            by_day.setdefault(on, []).append(collection.pk)
            self.counts.settled += 1
        # One UPDATE per booking day and chunk, each debit's payment found by the unique
        # index of (method, transaction id) = (direct debit, end-to-end id): one payment per
        # debit, never a second (payment_unique_transaction). Cheaper than bulk_update's CASE
        # of one WHEN per row.
        for on, rows in by_day.items():
            for start in range(0, len(rows), UPDATE_CHUNK):
                chunk = rows[start : start + UPDATE_CHUNK]
                DirectDebitCollection.objects.filter(pk__in=chunk).update(
                    status=DirectDebitCollection.Status.SETTLED,
                    settled_on=on,
                    payment_id=Subquery(
                        Payment.objects.filter(
                            method=PaymentMethod.DIRECT_DEBIT,
                            transaction_id=OuterRef("end_to_end_id"),
                            reverses__isnull=True,
                        )
                        .exclude(transaction_id="")  # the index's condition, so it is used
                        .values("pk")
                    ),
                )


def _return(
    collection: DirectDebitCollection,
    outcome: BankOutcome,
    label: str,
    actor: User | None,
    counts: ReturnsCounts,
    returns_file: BankReturnFile | None,
) -> None:
    if collection.status == DirectDebitCollection.Status.RETURNED:
        counts.unchanged += 1
        return
    code = outcome.reason_code or "MS03"  # no reason given: "not specified"
    why = reason_text(code)
    if collection.payment is not None:  # settled before: its receipt is cancelled
        reverse_payment(
            collection.payment,
            reason=_("Débito direto devolvido pelo banco (%(code)s: %(why)s).")
            % {"code": code, "why": why},
            actor=actor,
        )
    check_transition(collection, DirectDebitCollection.Status.RETURNED)
    collection.status = DirectDebitCollection.Status.RETURNED
    collection.reason_code = code
    collection.returned_on = outcome.on
    collection.new_due_date = max(outcome.on, timezone.localdate()) + datetime.timedelta(
        days=RETURN_GRACE_DAYS
    )
    collection.return_source = label[:200]
    collection.return_file = returns_file
    collection.save(
        update_fields=[
            "status",
            "reason_code",
            "returned_on",
            "new_due_date",
            "return_source",
            "return_file",
        ]
    )
    _tell_the_customer(collection)
    counts.returned += 1


def return_message(collection: DirectDebitCollection) -> dict[str, str]:
    """What the customer is told of a returned debit (the notice, the e-mail, the page)."""
    invoice = collection.invoice
    reference = invoice_multibanco_reference(invoice)
    assert collection.new_due_date is not None  # a returned debit has one (a constraint)
    values = {
        "number": invoice.number,
        "amount": format_euros(collection.amount),
        "iban": collection.mandate.masked_iban,
        "why": reason_text(collection.reason_code),
        "code": collection.reason_code,
        "entity": reference.entity,
        "reference": reference.formatted_reference,
        "total": format_euros(reference.amount),
        "due": date_format(collection.new_due_date, "d/m/Y"),
    }
    return {
        "title": _("O débito direto da fatura %(number)s foi devolvido") % values,
        "what": _(
            "O banco devolveu o débito de %(amount)s da fatura %(number)s na conta %(iban)s: "
            "%(why)s (%(code)s)."
        )
        % values,
        "how": _(
            "A fatura ficou por pagar. Pague até %(due)s por Multibanco (Entidade %(entity)s, "
            "Referência %(reference)s, Montante %(total)s) ou nos nossos balcões."
        )
        % values,
        **values,
    }


def _tell_the_customer(collection: DirectDebitCollection) -> None:
    invoice = collection.invoice
    message = return_message(collection)
    now = timezone.now()
    publish_notice(
        actor=None,
        title=message["title"][:120],
        text=f"{message['what']} {message['how']}",
        starts_at=now,
        ends_at=now + datetime.timedelta(days=RETURN_NOTICE_DAYS),
        audience=Notice.Audience.CONTRACTS,
        contracts=[invoice.contract],
    )
    to = recipients_for(invoice.account)
    if to:
        send_templated_email(
            to=to,
            template="payments_direct_debit_returned",
            context={
                **message,
                "customer_name": invoice.account.customer.name,
                "invoice_url": absolute_url(reverse("billing:invoice", args=[invoice.number])),
            },
        )
