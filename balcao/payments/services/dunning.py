"""Reminders and cut-off warnings of unpaid invoices (issue 13; Lei 23/96 art. 5).

- At due + 8 days an invoice still open gets one reminder e-mail
  (``send_payment_reminders``, daily); an invoice in a payment plan gets one per instalment
  instead, at the instalment's due date + 8 days.
- At due + 30 days staff generate the written warning "Aviso de interrupção do
  fornecimento" (a letter run in the admin, ``start_warning_run``); the earliest cut-off
  date it prints is at least 20 days after the warning (the law's minimum notice).

An invoice that an open complaint holds (``balcao.payments.holds``) gets neither, nor does
an invoice in a payment plan get a warning. Each reminder and warning is a DunningNotice
row, unique per invoice (or instalment) and kind, so a repeated run sends nothing twice.
"""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from balcao.accounts.models import User
from balcao.billing.documents import invoice_multibanco_reference, multibanco_for
from balcao.billing.models import DocumentType, Invoice
from balcao.billing.multibanco import MultibancoReference
from balcao.core.mail import send_templated_email
from balcao.core.transitions import transition
from balcao.payments import warning_letters
from balcao.payments.holds import not_in_payment_plan, not_on_hold
from balcao.payments.models import DirectDebitCollection, DunningNotice, Instalment, WarningRun
from balcao.payments.services.plans import instalment_reference
from balcao.payments.services.receipts import open_amount

REMINDER_AFTER_DAYS = 8
WARNING_AFTER_DAYS = 30
# Lei 23/96 art. 5 n.º 2: the warning goes at least 20 days before the supply is cut off.
CUT_OFF_NOTICE_DAYS = 20


def reminder_date(due_date: datetime.date) -> datetime.date:
    return due_date + datetime.timedelta(days=REMINDER_AFTER_DAYS)


def warning_date(due_date: datetime.date) -> datetime.date:
    return due_date + datetime.timedelta(days=WARNING_AFTER_DAYS)


def cut_off_date(warning_on: datetime.date) -> datetime.date:
    """The earliest day the supply may be cut off after a warning dated ``warning_on``."""
    return warning_on + datetime.timedelta(days=CUT_OFF_NOTICE_DAYS)


def _reference(invoice: Invoice) -> MultibancoReference | None:
    """How a reminder or a warning says to pay: the invoice's Multibanco reference, also on a
    direct-debit account once the bank returned the debit."""
    reference = multibanco_for(invoice)
    if (
        reference is None
        and DirectDebitCollection.objects.filter(
            invoice=invoice, status=DirectDebitCollection.Status.RETURNED
        ).exists()
    ):
        reference = invoice_multibanco_reference(invoice)
    return reference


def _open_invoices(due_before: datetime.date) -> QuerySet[Invoice]:
    """Open invoices payable by ``due_before`` or earlier: by their due date, or the new one
    a returned direct debit gave them; a debit the bank has not answered yet is not chased."""
    return (
        Invoice.objects.filter(
            document_type=DocumentType.INVOICE,
            status=Invoice.Status.ISSUED,
            due_date__isnull=False,
        )
        .exclude(direct_debit_collection__status=DirectDebitCollection.Status.SENT)
        .annotate(payable_by=Coalesce("direct_debit_collection__new_due_date", "due_date"))
        .filter(payable_by__lte=due_before)
    )


def _has_notice(kind: str) -> Exists:
    return Exists(
        DunningNotice.objects.filter(invoice=OuterRef("pk"), kind=kind, instalment__isnull=True)
    )


def invoices_due_a_reminder(today: datetime.date) -> QuerySet[Invoice]:
    """Open invoices due 8 days ago or more, with no reminder yet, not held by a complaint
    and not in a payment plan (whose instalments have reminders of their own)."""
    due_before = today - datetime.timedelta(days=REMINDER_AFTER_DAYS)
    invoices = _open_invoices(due_before).exclude(_has_notice(DunningNotice.Kind.REMINDER))
    return (
        not_on_hold(not_in_payment_plan(invoices))
        .select_related("account__customer", "contract")
        .order_by("pk")
    )


def instalments_due_a_reminder(today: datetime.date) -> QuerySet[Instalment]:
    """Open instalments due 8 days ago or more, with no reminder yet, whose invoice is still
    open and not held by a complaint."""
    due_before = today - datetime.timedelta(days=REMINDER_AFTER_DAYS)
    held = Invoice.objects.filter(pk=OuterRef("plan__invoice_id"))
    return (
        Instalment.objects.filter(
            receipt_line__isnull=True,
            due_date__lte=due_before,
            plan__invoice__status=Invoice.Status.ISSUED,
        )
        .exclude(Exists(DunningNotice.objects.filter(instalment=OuterRef("pk"))))
        .filter(Exists(not_on_hold(held)))
        .select_related("plan__invoice__account__customer", "plan__invoice__contract")
        .order_by("pk")
    )


def invoices_due_a_warning(on: datetime.date) -> QuerySet[Invoice]:
    """Open invoices due 30 days ago or more on ``on``, with no warning yet, not held by a
    complaint and not in a payment plan."""
    due_before = on - datetime.timedelta(days=WARNING_AFTER_DAYS)
    invoices = _open_invoices(due_before).exclude(_has_notice(DunningNotice.Kind.WARNING))
    return (
        not_on_hold(not_in_payment_plan(invoices))
        .select_related("account__customer", "account__billing_address", "contract__installation")
        .order_by("pk")
    )


def _recipient(invoice: Invoice) -> str:
    account = invoice.account
    return (account.e_invoice and account.e_invoice_email) or account.customer.email or ""


def _reminder_mail(
    invoice: Invoice,
    *,
    amount: Decimal,
    due: datetime.date,
    to: str,
    instalment: Instalment | None = None,
) -> None:
    multibanco: MultibancoReference | None
    if instalment is not None:
        multibanco = instalment_reference(invoice, instalment.amount)
    else:
        multibanco = _reference(invoice)
    send_templated_email(
        to=to,
        template="payments_reminder",
        context={
            "customer_name": invoice.account.customer.name,
            "invoice": invoice,
            "instalment": instalment,
            "amount": amount,
            "due_date": due,
            "multibanco": multibanco,
            "url": settings.SITE_URL + reverse("billing:invoice", args=[invoice.number]),
            "utility": settings.UTILITY,
        },
    )


def _record_reminder(
    invoice: Invoice, *, today: datetime.date, instalment: Instalment | None = None
) -> bool:
    """One reminder, recorded and mailed after commit; False when another run had sent it."""
    amount = instalment.amount if instalment is not None else open_amount(invoice)
    to = _recipient(invoice)
    try:
        with transaction.atomic():
            DunningNotice.objects.create(
                invoice=invoice,
                instalment=instalment,
                kind=DunningNotice.Kind.REMINDER,
                sent_on=today,
                amount=amount,
                email=to,
            )
            if to:
                due = (
                    instalment.due_date
                    if instalment is not None
                    else getattr(invoice, "payable_by", invoice.due_date)
                )
                assert due is not None
                _reminder_mail(invoice, amount=amount, due=due, to=to, instalment=instalment)
    except IntegrityError:  # a concurrent run recorded it first
        return False
    return True


@dataclass
class ReminderCounts:
    total: int = 0
    seen: int = 0
    sent: int = 0
    without_email: int = 0


def send_payment_reminders(
    *, today: datetime.date, progress: Callable[[ReminderCounts], None] | None = None
) -> ReminderCounts:
    """Every reminder due on ``today``: invoices at due + 8 days and instalments at theirs.
    Safe to repeat (each is recorded once). An account without an e-mail is counted: its
    reminder is recorded, for the clerk to see, but no mail goes."""
    invoices = list(invoices_due_a_reminder(today))
    instalments = list(instalments_due_a_reminder(today))
    counts = ReminderCounts(total=len(invoices) + len(instalments))
    items: list[tuple[Invoice, Instalment | None]] = [(i, None) for i in invoices]
    items += [(i.plan.invoice, i) for i in instalments]
    for invoice, instalment in items:
        counts.seen += 1
        if _record_reminder(invoice, today=today, instalment=instalment):
            counts.sent += 1
            if not _recipient(invoice):
                counts.without_email += 1
        if progress is not None:
            progress(counts)
    return counts


# --- The written warning ---------------------------------------------------------------


def start_warning_run(*, warning_on: datetime.date, actor: User | None = None) -> WarningRun:
    """Record a warning run and hand it to the background worker (after commit); the
    admin's page follows its counters and offers the PDF when it is done."""
    from balcao.payments.tasks import warning_run_task

    with transaction.atomic():
        run = WarningRun.objects.create(warning_date=warning_on, started_by=actor)
        run.events.create(kind=WarningRun.Status.QUEUED, actor=actor)
        transaction.on_commit(lambda: warning_run_task.enqueue(warning_run_id=run.pk))
    return run


def _letter_for(notice: DunningNotice) -> warning_letters.WarningLetter:
    invoice = notice.invoice
    account = invoice.account
    assert notice.cut_off_date is not None and invoice.due_date is not None
    return warning_letters.WarningLetter(
        recipient_name=account.customer.name,
        address_lines=list(account.billing_address.lines()),
        warning_date=notice.sent_on,
        cut_off_date=notice.cut_off_date,
        invoice_number=invoice.number,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        amount=notice.amount,
        contract_number=invoice.contract.contract_number,
        cil=invoice.contract.installation.cil,
        multibanco=_reference(invoice),
    )


def _warn(invoice: Invoice, run: WarningRun) -> DunningNotice | None:
    try:
        with transaction.atomic():
            return DunningNotice.objects.create(
                invoice=invoice,
                kind=DunningNotice.Kind.WARNING,
                sent_on=run.warning_date,
                cut_off_date=cut_off_date(run.warning_date),
                amount=open_amount(invoice),
                warning_run=run,
            )
    except IntegrityError:  # another run warned it meanwhile
        return None


def perform_warning_run(run: WarningRun, *, batch_size: int = 50) -> WarningRun:
    """Warn every invoice due a warning on the run's date: a DunningNotice each and one
    page each in the run's PDF. Counters are saved every ``batch_size`` invoices."""
    transition(run, WarningRun.Status.RUNNING)
    started = time.monotonic()
    try:
        invoices = list(invoices_due_a_warning(run.warning_date))
        run.total = len(invoices)
        run.save(update_fields=["total"])
        letters: list[warning_letters.WarningLetter] = []
        for position, invoice in enumerate(invoices, start=1):
            notice = _warn(invoice, run)
            if notice is not None:
                letters.append(_letter_for(notice))
                run.done += 1
            if position % batch_size == 0:
                run.save(update_fields=["done"])
        if letters:
            pdf = warning_letters.render_warnings(letters)
            run.pdf.save(f"avisos-{run.warning_date:%Y%m%d}-{run.pk}.pdf", ContentFile(pdf), False)
        run.finished_at = timezone.now()
        transition(
            run,
            WarningRun.Status.DONE,
            note=f"{run.done} avisos em {time.monotonic() - started:.1f} s",
            fields=["done", "pdf", "finished_at"],
        )
    except Exception as error:
        run.errors = str(error)
        run.finished_at = timezone.now()
        transition(
            run, WarningRun.Status.FAILED, note=str(error), fields=["errors", "finished_at", "done"]
        )
        raise
    return run
