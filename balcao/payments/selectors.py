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


def invoice_payment_context(invoice: Invoice, today: datetime.date) -> dict[str, Any]:
    """The invoice page's payment block: the receipts that settle it (newest first), the
    complaint and payment plan asked about it, the instalments, and while it is unpaid the
    timeline of reminder, warning and earliest cut-off.

    One query in the common case (every state read as columns of the invoice's row); the
    receipts and the instalments only when there are some."""
    row = (
        Invoice.objects.filter(pk=invoice.pk)
        .annotate(
            has_receipts=Exists(
                ReceiptLine.objects.filter(
                    invoice=OuterRef("pk"), receipt__status=Receipt.Status.ISSUED
                )
            ),
            plan_id=Subquery(PaymentPlan.objects.filter(invoice=OuterRef("pk")).values("pk")[:1]),
            reminder_on=_notice(DunningNotice.Kind.REMINDER),
            warning_on=_notice(DunningNotice.Kind.WARNING),
            cut_off_on=_notice(DunningNotice.Kind.WARNING, "cut_off_date"),
            complaint_number=_latest_request(RequestType.COMPLAINT, "number"),
            complaint_status=_latest_request(RequestType.COMPLAINT, "status"),
            complaint_outcome=_latest_request(RequestType.COMPLAINT, "outcome"),
            plan_request_number=_latest_request(RequestType.INSTALMENTS, "number"),
            plan_request_status=_latest_request(RequestType.INSTALMENTS, "status"),
            plan_request_outcome=_latest_request(RequestType.INSTALMENTS, "outcome"),
            active_iban=Subquery(
                DirectDebitMandate.objects.filter(
                    account_id=OuterRef("account_id"), status=DirectDebitMandate.Status.ACTIVE
                ).values("iban")[:1]
            ),
        )
        .values(
            "active_iban",
            "direct_debit_collection__status",
            "direct_debit_collection__amount",
            "direct_debit_collection__batch__due_date",
            "direct_debit_collection__mandate__iban",
            "direct_debit_collection__reason_code",
            "direct_debit_collection__returned_on",
            "direct_debit_collection__new_due_date",
            "has_receipts",
            "plan_id",
            "reminder_on",
            "warning_on",
            "cut_off_on",
            "complaint_number",
            "complaint_status",
            "complaint_outcome",
            "plan_request_number",
            "plan_request_status",
            "plan_request_outcome",
        )
        .get()
    )
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
        reminders = Subquery(
            DunningNotice.objects.filter(instalment=OuterRef("pk")).values("sent_on")[:1]
        )
        offered: set[Decimal] = set()
        for instalment in Instalment.objects.filter(plan_id=row["plan_id"]).annotate(
            reminded_on=reminders
        ):
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
    prefix = "direct_debit_collection__"
    if row[f"{prefix}status"] is None:
        return None
    return CollectionState(
        status=row[f"{prefix}status"],
        amount=row[f"{prefix}amount"],
        debit_date=row[f"{prefix}batch__due_date"],
        masked_iban=DirectDebitMandate(iban=row[f"{prefix}mandate__iban"]).masked_iban,
        reason_code=row[f"{prefix}reason_code"],
        returned_on=row[f"{prefix}returned_on"],
        new_due_date=row[f"{prefix}new_due_date"],
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
