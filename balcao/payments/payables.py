"""What a Multibanco payment can pay: every open payable, by its reference and amount.

``open_payables()`` yields one ``Payable`` per reference the customers may pay today: each
open invoice with a Multibanco reference (``billing.documents.multibanco_for``'s rule: an
invoice (FT) "Por pagar" of an account without direct debit; its reference over its
total), and whatever other sources register (``register_payable_source``: a payment plan's
instalments, each with its own reference and the invoice it pays part of). It reads them in
a few queries for the whole utility, so the import of 10⁵ lines looks each one up in memory
(``PayableIndex``) instead of asking the database per line.

``tests``: ``test_open_payables_follow_multibanco_for`` checks that the invoice source and
``multibanco_for`` agree, so a change of that rule in billing shows here.
"""

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings
from django.db.models import QuerySet, Sum

from balcao.billing.models import DocumentType, Invoice
from balcao.billing.multibanco import check_digits
from balcao.core.money import CENT

CHUNK = 5000


class Payable(NamedTuple):
    """A reference and amount that, paid, settle ``allocation`` of one invoice."""

    reference: str  # 9 digits
    amount: Decimal  # what the reference is for (its check digits are over it)
    invoice_id: int
    account_id: int
    allocation: Decimal  # what the payment settles of the invoice (its open amount)
    kind: str  # "invoice"; another source names its own ("instalment")
    instalment_id: int | None = None  # the payment plan's instalment it pays, if any


PayableSource = Callable[[], Iterable[Payable]]
_SOURCES: list[PayableSource] = []


def register_payable_source(source: PayableSource) -> None:
    """Add a source of payables (an app above billing, from its AppConfig.ready)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def reference_for(sub_entity_and_id: str, amount: Decimal) -> str:
    """The 9-digit reference: sub-entity + id (7 digits) and the check digits over amount."""
    return sub_entity_and_id + check_digits(settings.MULTIBANCO_ENTITY, sub_entity_and_id, amount)


def invoice_body(sequence: int) -> str:
    """Sub-entity + the invoice's id: its sequence's last 4 digits (billing.multibanco)."""
    return f"{settings.MULTIBANCO_SUB_ENTITY}{sequence % 10_000:04d}"


def multibanco_invoices() -> QuerySet[Invoice]:
    """The invoices that show a Multibanco reference (multibanco_for's rule, as a query);
    an invoice split in instalments is paid by its instalments' references instead."""
    return Invoice.objects.filter(
        document_type=DocumentType.INVOICE,
        status=Invoice.Status.ISSUED,
        account__direct_debit=False,
        payment_plan__isnull=True,
    )


def settled_of_open_invoices(invoice_ids: Iterable[int] | None = None) -> dict[int, Decimal]:
    """What the active receipts already settle of open invoices (those part-paid only)."""
    from balcao.payments.models import Receipt, ReceiptLine

    lines = ReceiptLine.objects.filter(
        receipt__status=Receipt.Status.ISSUED,
        invoice__status=Invoice.Status.ISSUED,
        invoice__document_type=DocumentType.INVOICE,
    )
    if invoice_ids is not None:
        lines = lines.filter(invoice_id__in=list(invoice_ids))
    return dict(
        lines.values("invoice_id").annotate(total=Sum("amount")).values_list("invoice_id", "total")
    )


def invoice_payables() -> Iterator[Payable]:
    """Every open invoice with a Multibanco reference, read by chunks of its key."""
    settled = settled_of_open_invoices()
    last = 0
    while True:
        rows = list(
            multibanco_invoices()
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "sequence", "gross_total", "account_id")[:CHUNK]
        )
        for pk, sequence, total, account_id in rows:
            if total <= 0:
                continue
            yield Payable(
                reference=reference_for(invoice_body(sequence), total),
                amount=total,
                invoice_id=pk,
                account_id=account_id,
                allocation=total - settled.get(pk, Decimal("0.00")),
                kind="invoice",
            )
        if len(rows) < CHUNK:
            return
        last = rows[-1][0]


def open_payables() -> Iterator[Payable]:
    """Every payable: open invoices, then each registered source's."""
    yield from invoice_payables()
    for source in _SOURCES:
        yield from source()


class PayableIndex:
    """The open payables by (reference, amount) and by reference, in memory.

    Payables of one invoice with the same reference and amount (a plan's equal instalments)
    are paid in the order their source gives them: only the first is offered, and ``take``
    offers the next one. ``take`` removes what a line paid, so that a line for a reference
    with nothing left open in the same file finds it paid (``paid_now``), not open.
    """

    def __init__(self, payables: Iterable[Payable]) -> None:
        self.by_key: dict[tuple[str, Decimal], list[Payable]] = {}
        self.by_reference: dict[str, list[Payable]] = {}
        self.paid_now: dict[str, Payable] = {}  # by reference
        self.waiting: dict[tuple[str, Decimal, int], deque[Payable]] = {}  # behind the first
        for payable in payables:
            key = (payable.reference, payable.amount, payable.invoice_id)
            if key in self.waiting:
                self.waiting[key].append(payable)
            else:
                self.waiting[key] = deque()
                self._offer(payable)

    @classmethod
    def build(cls) -> "PayableIndex":
        return cls(open_payables())

    def _offer(self, payable: Payable) -> None:
        self.by_key.setdefault((payable.reference, payable.amount), []).append(payable)
        self.by_reference.setdefault(payable.reference, []).append(payable)

    def candidates(self, reference: str, amount: Decimal) -> list[Payable]:
        return self.by_key.get((reference, amount.quantize(CENT)), [])

    def other_amounts(self, reference: str) -> list[Payable]:
        return self.by_reference.get(reference, [])

    def take(self, payable: Payable) -> None:
        key = (payable.reference, payable.amount)
        self.by_key[key].remove(payable)
        self.by_reference[payable.reference].remove(payable)
        self.paid_now[payable.reference] = payable
        behind = self.waiting[(payable.reference, payable.amount, payable.invoice_id)]
        if behind:
            self._offer(behind.popleft())


def instalment_payables() -> Iterator[Payable]:
    """Every open instalment, by invoice and number: equal amounts of one plan share a
    reference and are paid in that order (``PayableIndex`` offers the earliest still open).
    Which instalment a payment settles is decided again under the invoice's lock
    (``bulk_payments``)."""
    from balcao.payments.models import Instalment

    rows = (
        Instalment.objects.filter(
            receipt_line__isnull=True, plan__invoice__status=Invoice.Status.ISSUED
        )
        .order_by("plan__invoice_id", "number")
        .values_list(
            "pk",
            "amount",
            "plan__invoice_id",
            "plan__invoice__sequence",
            "plan__invoice__account_id",
        )
    )
    for pk, amount, invoice_id, sequence, account_id in rows.iterator(chunk_size=CHUNK):
        yield Payable(
            reference=reference_for(invoice_body(sequence), amount),
            amount=amount,
            invoice_id=invoice_id,
            account_id=account_id,
            allocation=amount,
            kind="instalment",
            instalment_id=pk,
        )
