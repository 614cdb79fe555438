"""What the customer's pages show of how an invoice is being paid: receipts, the direct
debit (pre-notification, or the bank's return), complaint, payment plan and timeline."""

import datetime
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, Exists, F, OuterRef, Subquery, TextField
from django.db.models.functions import JSONObject
from django.utils.translation import gettext as _

from balcao.billing.documents import direct_debit_notice, invoice_multibanco_reference
from balcao.billing.models import DirectDebitMandate, Invoice
from balcao.billing.multibanco import MultibancoReference
from balcao.payments.bank_files import reason_text
from balcao.payments.models import (
    DirectDebitCollection,
    DunningNotice,
    Instalment,
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


def _notice(kind: str, column: str = "sent_on") -> Subquery:
    return Subquery(
        DunningNotice.objects.filter(
            invoice=OuterRef("pk"), kind=kind, instalment__isnull=True
        ).values(column)[:1]
    )


def _latest_request(request_type: str, column: str) -> Subquery:
    return Subquery(
        ServiceRequest.objects.filter(invoice=OuterRef("pk"), request_type=request_type)
        .order_by("-submitted_at", "-pk")
        .values(column)[:1]
    )


def _request_state(row: Mapping[str, Any], prefix: str) -> RequestState | None:
    if row[f"{prefix}_number"] is None:
        return None
    outcome = row[f"{prefix}_outcome"] or ""
    return RequestState(
        number=row[f"{prefix}_number"],
        is_open=row[f"{prefix}_status"] != ServiceRequest.Status.CLOSED,
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


class _JsonRows(Aggregate):
    """The rows' JSON objects as one JSON array, in text: json_group_array on SQLite,
    json_agg on PostgreSQL (text, so that numbers are parsed as Decimal here, not floats)."""

    function = "JSON_GROUP_ARRAY"
    output_field = TextField()

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra_context: Any
    ) -> tuple[str, Sequence[Any]]:
        return self.as_sql(
            compiler,
            connection,
            function="JSON_AGG",
            template="%(function)s(%(expressions)s)::text",
        )


def _instalment_rows() -> Subquery:
    """The invoice's plan's instalments (number, due date, amount, paid, reminder sent on)
    as a JSON array: read with the invoice's row, not in a query of their own."""
    reminded_on = Subquery(
        DunningNotice.objects.filter(instalment=OuterRef("pk")).values("sent_on")[:1]
    )
    return Subquery(
        Instalment.objects.filter(plan_id=OuterRef("plan_id"))
        .order_by()
        .values("plan_id")
        .annotate(
            rows=_JsonRows(
                JSONObject(
                    number="number",
                    due_date="due_date",
                    amount="amount",
                    receipt_line_id="receipt_line_id",
                    reminded_on=reminded_on,
                )
            )
        )
        .values("rows")
    )


@dataclass(frozen=True)
class _Instalment:
    number: int
    due_date: datetime.date
    amount: Decimal
    is_paid: bool
    reminded_on: datetime.date | None


def _instalments(rows: str | None) -> list[_Instalment]:
    """The instalments read by ``_instalment_rows``, in order."""
    if not rows:
        return []
    cent = Decimal("0.01")
    instalments = [
        _Instalment(
            number=int(row["number"]),
            due_date=datetime.date.fromisoformat(str(row["due_date"])[:10]),
            amount=Decimal(str(row["amount"])).quantize(cent),
            is_paid=row["receipt_line_id"] is not None,
            reminded_on=datetime.date.fromisoformat(str(row["reminded_on"])[:10])
            if row["reminded_on"]
            else None,
        )
        for row in json.loads(rows, parse_float=Decimal)
    ]
    return sorted(instalments, key=lambda instalment: instalment.number)


def invoice_payment_annotations() -> dict[str, Any]:
    """Everything the payment block reads of the invoice's state, as columns to annotate
    the invoice's own query with (billing's ``invoice_page_context`` takes them from the
    portal): the direct debit, whether receipts settle it, the plan, the dunning notices,
    the latest complaint and plan request, the account's mandate in force."""
    collection = "direct_debit_collection__"
    return {
        "has_receipts": Exists(
            ReceiptLine.objects.filter(
                invoice=OuterRef("pk"), receipt__status=Receipt.Status.ISSUED
            )
        ),
        "plan_id": Subquery(PaymentPlan.objects.filter(invoice=OuterRef("pk")).values("pk")[:1]),
        "instalment_rows": _instalment_rows(),
        "reminder_on": _notice(DunningNotice.Kind.REMINDER),
        "warning_on": _notice(DunningNotice.Kind.WARNING),
        "cut_off_on": _notice(DunningNotice.Kind.WARNING, "cut_off_date"),
        "complaint_number": _latest_request(RequestType.COMPLAINT, "number"),
        "complaint_status": _latest_request(RequestType.COMPLAINT, "status"),
        "complaint_outcome": _latest_request(RequestType.COMPLAINT, "outcome"),
        "plan_request_number": _latest_request(RequestType.INSTALMENTS, "number"),
        "plan_request_status": _latest_request(RequestType.INSTALMENTS, "status"),
        "plan_request_outcome": _latest_request(RequestType.INSTALMENTS, "outcome"),
        "active_iban": Subquery(
            DirectDebitMandate.objects.filter(
                account_id=OuterRef("account_id"), status=DirectDebitMandate.Status.ACTIVE
            ).values("iban")[:1]
        ),
        "collection_status": F(f"{collection}status"),
        "collection_amount": F(f"{collection}amount"),
        "collection_debit_date": F(f"{collection}batch__due_date"),
        "collection_iban": F(f"{collection}mandate__iban"),
        "collection_reason_code": F(f"{collection}reason_code"),
        "collection_returned_on": F(f"{collection}returned_on"),
        "collection_new_due_date": F(f"{collection}new_due_date"),
    }


# The columns, named once (building the expressions again to learn them costs CPU per page).
_PAYMENT_COLUMNS = tuple(invoice_payment_annotations())
_ANNOTATED = "collection_new_due_date"  # present iff the invoice was read with them all


def _payment_row(invoice: Invoice) -> dict[str, Any]:
    """The invoice's payment state: read from its row when the caller annotated it with
    ``invoice_payment_annotations`` (no query), else one query."""
    if hasattr(invoice, _ANNOTATED):
        return {name: getattr(invoice, name) for name in _PAYMENT_COLUMNS}
    annotations = invoice_payment_annotations()
    return dict(
        Invoice.objects.filter(pk=invoice.pk).annotate(**annotations).values(*annotations).get()
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
    complaint = _request_state(row, "complaint")
    plan_request = _request_state(row, "plan_request")
    on_hold = complaint is not None and complaint.is_open
    instalments: list[InstalmentRow] = []
    # A plan of an invoice cancelled since (a complaint answered with a credit note) is over.
    if row["plan_id"] is not None and invoice.status != Invoice.Status.CANCELLED:
        offered: set[Decimal] = set()
        for instalment in _instalments(row["instalment_rows"]):
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
    collection = _collection_state(row)
    # A debit the bank returned gave the invoice a new due date; the steps count from it.
    due_date = invoice.due_date
    if collection is not None and collection.new_due_date is not None:
        due_date = collection.new_due_date
    timeline: list[Step] = []
    if invoice.is_open and due_date and not on_hold and row["plan_id"] is None:
        timeline = invoice_timeline(
            due_date,
            reminder_on=row["reminder_on"],
            warning_on=row["warning_on"],
            cut_off_on=row["cut_off_on"],
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
        and row["plan_id"] is None
        and not (plan_request is not None and plan_request.is_open),
    }
    context.update(_direct_debit_context(invoice, collection, row["active_iban"]))
    if instalments:
        # The invoice's own reference would pay it all at once: the instalments' are shown.
        context["multibanco"] = None
    return context


def _collection_state(row: Mapping[str, Any]) -> CollectionState | None:
    if row["collection_status"] is None:
        return None
    return CollectionState(
        status=row["collection_status"],
        amount=row["collection_amount"],
        debit_date=row["collection_debit_date"],
        masked_iban=DirectDebitMandate(iban=row["collection_iban"]).masked_iban,
        reason_code=row["collection_reason_code"],
        returned_on=row["collection_returned_on"],
        new_due_date=row["collection_new_due_date"],
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
