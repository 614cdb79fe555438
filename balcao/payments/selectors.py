"""What the customer's pages show of how an invoice is being paid: receipts, the direct
debit (pre-notification, or the bank's return), complaint, payment plan and timeline."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext as _

from balcao.billing.documents import direct_debit_notice, invoice_multibanco_reference
from balcao.billing.models import DirectDebitMandate, Invoice
from balcao.billing.multibanco import MultibancoReference
from balcao.core.compiled_columns import CompiledColumn
from balcao.core.json_columns import JsonObject, as_date, as_decimal, parse, rows_subquery
from balcao.payments.bank_files import reason_text
from balcao.payments.models import (
    DirectDebitCollection,
    DunningNotice,
    PaymentPlan,
    Receipt,
    ReceiptLine,
)
from balcao.payments.services import dunning
from balcao.payments.services.invoice_requests import can_be_contested
from balcao.payments.services.plans import instalment_reference
from balcao.service_requests.models import RequestType, ServiceRequest


@dataclass(frozen=True)
class Step:
    """One step of an unpaid invoice's way to a cut-off: what, when, whether it happened."""

    label: str
    date: datetime.date
    done: bool


@dataclass(frozen=True)
class InstalmentRow:
    number: int
    due_date: datetime.date
    amount: Decimal
    paid: bool
    overdue: bool
    multibanco: MultibancoReference | None
    reminded_on: datetime.date | None


@dataclass(frozen=True)
class CollectionState:
    """The invoice's direct debit, once it went to the bank."""

    status: str
    amount: Decimal
    debit_date: datetime.date
    masked_iban: str
    reason_code: str
    returned_on: datetime.date | None
    new_due_date: datetime.date | None


@dataclass(frozen=True)
class RequestState:
    number: int
    is_open: bool
    outcome: str
    outcome_label: str


def _request_state(requests: list[dict[str, Any]], request_type: str) -> RequestState | None:
    """The latest request of that type (by submission, as the clerks' list orders them)."""
    of_type = [row for row in requests if row["request_type"] == request_type]
    if not of_type:
        return None
    row = max(
        of_type, key=lambda row: (datetime.datetime.fromisoformat(row["submitted_at"]), row["pk"])
    )
    outcome = row["outcome"] or ""
    return RequestState(
        number=row["number"],
        is_open=row["status"] != ServiceRequest.Status.CLOSED,
        outcome=outcome,
        outcome_label=str(ServiceRequest.Outcome(outcome).label),
    )


def invoice_timeline(
    due_date: datetime.date,
    *,
    reminder_on: datetime.date | None,
    warning_on: datetime.date | None,
    cut_off_on: datetime.date | None,
    today: datetime.date,
) -> list[Step]:
    """Due date, reminder, written warning and earliest cut-off of an unpaid invoice: the
    dates that happened as they happened, the others as the rules set them (a warning
    not yet generated is dated no earlier than tomorrow)."""
    planned_warning = warning_on or max(
        dunning.warning_date(due_date), today + datetime.timedelta(days=1)
    )
    return [
        Step(_("Prazo de pagamento"), due_date, today > due_date),
        Step(
            _("Lembrete por e-mail"),
            reminder_on or max(dunning.reminder_date(due_date), today),
            reminder_on is not None,
        ),
        Step(
            _("Aviso de interrupção do fornecimento, por carta"),
            planned_warning,
            warning_on is not None,
        ),
        Step(
            _("Interrupção do fornecimento possível a partir de"),
            cut_off_on or dunning.cut_off_date(planned_warning),
            False,
        ),
    ]


@dataclass(frozen=True)
class _Instalment:
    number: int
    due_date: datetime.date
    amount: Decimal
    is_paid: bool
    reminded_on: datetime.date | None


def _instalments(
    rows: list[dict[str, Any]], reminders: Mapping[int, datetime.date]
) -> list[_Instalment]:
    """The plan's instalments read by ``_PLAN`` (a plan without any reads one row of nulls),
    in order, with the date of each one's reminder."""
    instalments = [
        _Instalment(
            number=int(row["number"]),
            due_date=as_date(row["due_date"]),  # type: ignore[arg-type]  # never null
            amount=as_decimal(row["amount"], 2),
            is_paid=row["receipt_line_id"] is not None,
            reminded_on=reminders.get(row["id"]),
        )
        for row in rows
        if row["id"] is not None
    ]
    return sorted(instalments, key=lambda instalment: instalment.number)


# The payment state of an invoice as columns of its own row: few, as PostgreSQL plans them
# on every request. Each group of related rows is ONE subquery returning them as JSON, not
# one subquery per field (this was 13 subqueries and 3 joins: 2.9 ms of planning).
_PAYMENT_SUBQUERIES: dict[str, Any] = {
    "has_receipts": Exists(
        ReceiptLine.objects.filter(invoice=OuterRef("pk"), receipt__status=Receipt.Status.ISSUED)
    ),
    # The payment plan (an invoice has one at most) with its instalments; NULL: no plan.
    "plan_rows": rows_subquery(
        PaymentPlan.objects.filter(invoice=OuterRef("pk")),
        "pk",
        id="instalments__pk",
        number="instalments__number",
        due_date="instalments__due_date",
        amount="instalments__amount",
        receipt_line_id="instalments__receipt_line_id",
    ),
    # The reminders and warning of the invoice and of its instalments.
    "dunning_rows": rows_subquery(
        DunningNotice.objects.filter(invoice=OuterRef("pk")),
        "invoice_id",
        kind="kind",
        instalment_id="instalment_id",
        sent_on="sent_on",
        cut_off_date="cut_off_date",
    ),
    # The complaints and payment plan requests about it (the latest of each is shown).
    "request_rows": rows_subquery(
        ServiceRequest.objects.filter(
            invoice=OuterRef("pk"),
            request_type__in=[RequestType.COMPLAINT, RequestType.INSTALMENTS],
        ),
        "invoice_id",
        pk="pk",
        request_type="request_type",
        number="number",
        status="status",
        outcome="outcome",
        submitted_at="submitted_at",
    ),
    "active_iban": Subquery(
        DirectDebitMandate.objects.filter(
            account_id=OuterRef("account_id"), status=DirectDebitMandate.Status.ACTIVE
        ).values("iban")[:1]
    ),
    # The direct debit, once it went to the bank (its batch's date, its mandate's IBAN).
    # A subquery rather than joins: three more joins in the invoice's query would cost
    # PostgreSQL more to plan (2 ms) than all of these subqueries together.
    "collection_row": Subquery(
        DirectDebitCollection.objects.filter(invoice=OuterRef("pk")).values(
            row=JsonObject(
                status="status",
                amount="amount",
                debit_date="batch__due_date",
                iban="mandate__iban",
                reason_code="reason_code",
                returned_on="returned_on",
                new_due_date="new_due_date",
            )
        )
    ),
}
# Compiled to SQL once (CompiledColumn), not by Django on every request.
_PAYMENT_ANNOTATIONS = {
    name: CompiledColumn(Invoice, expression) for name, expression in _PAYMENT_SUBQUERIES.items()
}
_ANNOTATED = "collection_row"  # present iff the invoice was read with them all


def invoice_payment_annotations() -> dict[str, Any]:
    """Everything the payment block reads of the invoice's state, as columns to annotate
    the invoice's own query with (billing's ``invoice_page_context`` takes them from the
    portal): the direct debit, whether receipts settle it, the plan and its instalments,
    the dunning notices, the complaints and plan requests, the account's mandate in force
    (six subqueries, compiled once)."""
    return dict(_PAYMENT_ANNOTATIONS)


def _payment_row(invoice: Invoice) -> dict[str, Any]:
    """The invoice's payment state: read from its row when the caller annotated it with
    ``invoice_payment_annotations`` (no query), else one query."""
    if hasattr(invoice, _ANNOTATED):
        return {name: getattr(invoice, name) for name in _PAYMENT_ANNOTATIONS}
    return dict(
        Invoice.objects.filter(pk=invoice.pk)
        .annotate(**_PAYMENT_ANNOTATIONS)
        .values(*_PAYMENT_ANNOTATIONS)
        .get()
    )


def invoice_payment_context(invoice: Invoice, today: datetime.date) -> dict[str, Any]:
    """The invoice page's payment block: the receipts that settle it (newest first), the
    complaint and payment plan asked about it, the instalments, and while it is unpaid the
    timeline of reminder, warning and earliest cut-off.

    No query of its own for an invoice read with ``invoice_payment_annotations`` (one
    otherwise: every state read as columns of the invoice's row); the receipts only when
    there are some (the instalments are read with the invoice, as one JSON column)."""
    row = _payment_row(invoice)
    receipts = []
    if row["has_receipts"]:
        receipts = list(
            Receipt.objects.filter(lines__invoice=invoice, status=Receipt.Status.ISSUED)
            .select_related("payment")
            .order_by("-issue_date", "-pk")
            .distinct()
        )
    requests = parse(row["request_rows"]) or []
    complaint = _request_state(requests, RequestType.COMPLAINT)
    plan_request = _request_state(requests, RequestType.INSTALMENTS)
    notices = parse(row["dunning_rows"]) or []
    # The invoice's reminder and warning (one of each at most), and its instalments'.
    invoice_notices = {n["kind"]: n for n in notices if n["instalment_id"] is None}
    reminder = invoice_notices.get(DunningNotice.Kind.REMINDER, {})
    warning = invoice_notices.get(DunningNotice.Kind.WARNING, {})
    reminded: dict[int, datetime.date] = {}
    for notice in sorted(notices, key=lambda n: n["sent_on"]):  # the latest one wins
        if notice["instalment_id"] is not None:
            reminded[notice["instalment_id"]] = as_date(notice["sent_on"])  # type: ignore[assignment]
    plan_rows = parse(row["plan_rows"])
    has_plan = plan_rows is not None
    on_hold = complaint is not None and complaint.is_open
    instalments: list[InstalmentRow] = []
    # A plan of an invoice cancelled since (a complaint answered with a credit note) is over.
    if has_plan and invoice.status != Invoice.Status.CANCELLED:
        offered: set[Decimal] = set()
        for instalment in _instalments(plan_rows, reminded):
            payable = not instalment.is_paid and invoice.is_open
            # Equal amounts share a reference: it is shown on the earliest one still open.
            show_reference = payable and instalment.amount not in offered
            if show_reference:
                offered.add(instalment.amount)
            instalments.append(
                InstalmentRow(
                    number=instalment.number,
                    due_date=instalment.due_date,
                    amount=instalment.amount,
                    paid=instalment.is_paid or not invoice.is_open,
                    overdue=payable and today > instalment.due_date,
                    multibanco=instalment_reference(invoice, instalment.amount)
                    if show_reference
                    else None,
                    reminded_on=instalment.reminded_on,
                )
            )
    collection = _collection_state(row["collection_row"])
    # A debit the bank returned gave the invoice a new due date; the steps count from it.
    due_date = invoice.due_date
    if collection is not None and collection.new_due_date is not None:
        due_date = collection.new_due_date
    timeline: list[Step] = []
    if invoice.is_open and due_date and not on_hold and not has_plan:
        timeline = invoice_timeline(
            due_date,
            reminder_on=as_date(reminder.get("sent_on")),
            warning_on=as_date(warning.get("sent_on")),
            cut_off_on=as_date(warning.get("cut_off_date")),
            today=today,
        )
    context: dict[str, Any] = {
        "receipts": receipts,
        "complaint": complaint,
        "plan_request": plan_request,
        "on_hold": on_hold,
        "instalments": instalments,
        "timeline": timeline,
        "can_contest": can_be_contested(invoice) and not on_hold,
        "can_ask_for_instalments": invoice.is_open
        and not has_plan
        and not (plan_request is not None and plan_request.is_open),
    }
    context.update(_direct_debit_context(invoice, collection, row["active_iban"]))
    if instalments:
        # The invoice's own reference would pay it all at once: the instalments' are shown.
        context["multibanco"] = None
    return context


def _collection_state(text: str | None) -> CollectionState | None:
    row = parse(text)
    if row is None:
        return None
    return CollectionState(
        status=row["status"],
        amount=as_decimal(row["amount"], 2),
        debit_date=as_date(row["debit_date"]),  # type: ignore[arg-type]  # never null
        masked_iban=DirectDebitMandate(iban=row["iban"]).masked_iban,
        reason_code=row["reason_code"],
        returned_on=as_date(row["returned_on"]),
        new_due_date=as_date(row["new_due_date"]),
    )


def _direct_debit_context(
    invoice: Invoice, collection: CollectionState | None, active_iban: str | None
) -> dict[str, Any]:
    """The direct debit's part of the block: the pre-notification (amount, masked account,
    debit date) while the invoice is to be debited, or, once the bank returned it, why, the
    new due date and its Multibanco reference (``multibanco`` then replaces billing's,
    which a direct-debit account lacks)."""
    context: dict[str, Any] = {"collection": collection, "debit_notice": None}
    if not invoice.is_open:
        return context
    if collection is not None and collection.status == DirectDebitCollection.Status.RETURNED:
        context["return_reason"] = reason_text(collection.reason_code)
        context["multibanco"] = invoice_multibanco_reference(invoice)
    elif collection is not None and collection.status == DirectDebitCollection.Status.SENT:
        # In a file the bank has: it is debited on its date, even if the mandate was revoked
        # since; no Multibanco reference, so that it is not paid twice.
        context["multibanco"] = None
    elif active_iban:
        mandate = DirectDebitMandate(iban=active_iban)
        context["debit_notice"] = direct_debit_notice(invoice, mandate=mandate)
    return context
