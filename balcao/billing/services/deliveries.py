"""Delivering issued invoices and credit notes (issue 13): e-mail to e-invoice accounts, paper
to the others.

- ``record_deliveries`` writes each new document's delivery in the document's own
  transaction (one INSERT for a batch of the billing run; ``issue_credit_note`` for a credit
  note): the channel and the address as they are at issue. An e-invoice account without an
  e-mail address gets paper, so the document reaches the customer anyway.
- After commit, each e-mail is handed to ``tasks.send_invoice_email_task``; it keeps the
  PDF first (``keep_invoice_pdf``: drawn unless the PDF task drew it already), then sends.
- ``send_invoice_email`` claims the delivery before sending (an UPDATE that moves
  ``next_attempt_at`` forward by LEASE), so two workers, or a worker and the cron, never send
  the same message twice; an SMTP failure is recorded (attempts, the error without the
  server's credentials, which SMTP errors never carry) and retried after BACKOFF, later each
  time, up to MAX_ATTEMPTS. A task backend that can defer (the database queue) gets the
  retry enqueued for that time; otherwise, and after a crash, ``manage.py
  send_pending_invoice_emails`` (cron, every few minutes) sends what is due.
- An invoice cancelled by a credit note before it went out is never sent:
  ``withdraw_deliveries`` marks its unsent deliveries "Não enviada" with the credit note's
  number, in the credit note's transaction; an attempt that finds the invoice cancelled all
  the same (a row older than this rule) does so too instead of sending. The customer gets
  the credit note.
- Paper deliveries are marked sent by the print run (``services.print_runs``).
"""

import datetime
import logging
import smtplib
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext

from balcao.billing.invoice_mail import document_email
from balcao.billing.models import DocumentType, Invoice, InvoiceDelivery
from balcao.core.bulk import insert_rows

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_RETRY = datetime.timedelta(minutes=5)
LONGEST_WAIT = datetime.timedelta(hours=6)
# How long an attempt in progress holds its delivery: a worker that died while sending
# leaves it to be retried after this.
LEASE = datetime.timedelta(minutes=15)
# Errors of the mail server or the network: worth trying again later.
TRANSIENT_ERRORS: tuple[type[Exception], ...] = (smtplib.SMTPException, OSError)
UNSENT = [InvoiceDelivery.Status.PENDING, InvoiceDelivery.Status.FAILED]
DELIVERED_TYPES = (DocumentType.INVOICE, DocumentType.CREDIT_NOTE)


def backoff(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed attempt: 5 min, 15 min, 45 min, … ≤ 6 h."""
    return min(FIRST_RETRY * 3 ** max(attempts - 1, 0), LONGEST_WAIT)


def delivery_for(invoice: Invoice) -> InvoiceDelivery | None:
    """The delivery a new invoice or credit note gets (not saved). The document comes with
    its billing account loaded (the issuing services and the run load it)."""
    if invoice.document_type not in DELIVERED_TYPES:
        return None
    account = invoice.account
    if account.e_invoice and account.e_invoice_email:
        return InvoiceDelivery(
            invoice=invoice,
            channel=InvoiceDelivery.Channel.EMAIL,
            to_address=account.e_invoice_email,
            next_attempt_at=timezone.now(),
        )
    return InvoiceDelivery(
        invoice=invoice,
        channel=InvoiceDelivery.Channel.PAPER,
        to_address=f"{invoice.customer_name}\n{invoice.customer_address}",
    )


def record_deliveries(invoices: Sequence[Invoice]) -> list[InvoiceDelivery]:
    """Record how each new invoice or credit note is delivered, in the caller's transaction
    (one INSERT), and send the e-mails after it commits. With BILLING_RENDER_PDF off (the
    benchmark) the e-mails wait for ``send_pending_invoice_emails``, as the PDFs wait for
    theirs."""
    deliveries = [d for d in (delivery_for(invoice) for invoice in invoices) if d is not None]
    insert_rows(deliveries)
    emailed = [d.invoice_id for d in deliveries if d.channel == InvoiceDelivery.Channel.EMAIL]
    if emailed and settings.BILLING_RENDER_PDF:
        from balcao.billing.tasks import send_invoice_email_task

        def enqueue() -> None:
            for invoice_id in emailed:
                send_invoice_email_task.enqueue(invoice_id=invoice_id)

        transaction.on_commit(enqueue)
    return deliveries


def withdrawn_note(credit_note_number: str) -> str:
    """Why a delivery will never be sent, as the clerk reads it on the delivery's row."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(
            "A fatura foi anulada pela nota de crédito %(number)s antes de ser enviada."
        ) % {"number": credit_note_number}


def withdraw_deliveries(*, invoice: Invoice, credit_note: Invoice) -> int:
    """The invoice's deliveries not sent yet never will be: ``credit_note`` cancelled it.
    Called in the credit note's transaction, so that no retry, cron or print run that comes
    after it sends the invoice; an attempt in progress holds no lock, and if it succeeds the
    row says "Enviada", which is then true. Returns the rows withdrawn."""
    return InvoiceDelivery.objects.filter(invoice=invoice, status__in=UNSENT).update(
        status=InvoiceDelivery.Status.WITHDRAWN,
        next_attempt_at=None,
        note=withdrawn_note(credit_note.number),
    )


def _claim(delivery_pk: int, now: datetime.datetime) -> bool:
    """Take the delivery for one attempt, if it is due and nobody else holds it."""
    return bool(
        InvoiceDelivery.objects.filter(
            pk=delivery_pk,
            status__in=UNSENT,
            next_attempt_at__lte=now,
        ).update(next_attempt_at=now + LEASE, attempts=F("attempts") + 1)
    )


def _error_text(error: Exception) -> str:
    # The class and the server's answer (a code, a sentence, the refused addresses): what a
    # clerk needs, and nothing of the settings (SMTP errors never carry the password).
    return f"{type(error).__name__}: {error}"[:300]


def send_invoice_email(invoice_id: int) -> InvoiceDelivery | None:
    """One attempt to e-mail the invoice or credit note, if its e-mail delivery is due;
    returns the delivery as it stands after (None: the document is not delivered by e-mail).

    An invoice cancelled by a credit note meanwhile is not sent: the delivery is withdrawn,
    with the credit note's number. An SMTP or network error is recorded and the delivery
    retried later (returned failed, with ``next_attempt_at``); any other error is recorded
    too, then raised."""
    from balcao.billing.services.pdfs import keep_invoice_pdf

    delivery = InvoiceDelivery.objects.filter(
        invoice_id=invoice_id, channel=InvoiceDelivery.Channel.EMAIL
    ).first()
    if delivery is None:
        return None
    now = timezone.now()
    if not _claim(delivery.pk, now):
        return delivery
    # Checked while the claim holds the row: a second worker cannot send it meanwhile.
    cancelled_by = (
        Invoice.objects.filter(corrects_id=invoice_id, document_type=DocumentType.CREDIT_NOTE)
        .values_list("number", flat=True)
        .first()
    )
    if cancelled_by is not None:
        InvoiceDelivery.objects.filter(pk=delivery.pk).update(
            status=InvoiceDelivery.Status.WITHDRAWN,
            next_attempt_at=None,
            attempts=F("attempts") - 1,  # nothing was tried
            note=withdrawn_note(cancelled_by),
        )
        delivery.refresh_from_db()
        logger.info("Invoice %s e-mail withdrawn: cancelled by %s", invoice_id, cancelled_by)
        return delivery
    delivery.refresh_from_db(fields=["attempts"])
    try:
        invoice = keep_invoice_pdf(invoice_id)
        with invoice.pdf.open("rb") as handle:
            pdf = handle.read()
        document_email(invoice, to=delivery.to_address, pdf=pdf).send()
    except Exception as error:
        recorded = _record_failure(delivery, error, now)
        if isinstance(error, TRANSIENT_ERRORS):
            logger.warning("Invoice %s e-mail failed: %s", invoice_id, _error_text(error))
            if recorded:  # else withdrawn meanwhile by a credit note: no retry
                _schedule_retry(delivery)
            return delivery
        raise
    # Sent, even if a credit note withdrew it while the message was on its way: so it was.
    delivery.status = InvoiceDelivery.Status.SENT
    delivery.sent_at = timezone.now()
    delivery.next_attempt_at = None
    delivery.last_error = ""
    delivery.note = ""
    delivery.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error", "note"])
    return delivery


def _record_failure(delivery: InvoiceDelivery, error: Exception, now: datetime.datetime) -> bool:
    """Record the failed attempt; False when a credit note withdrew the delivery while it
    was being tried (the row keeps saying why it will not be sent)."""
    delivery.status = InvoiceDelivery.Status.FAILED
    delivery.last_error = _error_text(error)
    # After the last attempt, nothing is scheduled: the admin lists it among the failed.
    delivery.next_attempt_at = (
        now + backoff(delivery.attempts) if delivery.attempts < MAX_ATTEMPTS else None
    )
    recorded = InvoiceDelivery.objects.filter(pk=delivery.pk, status__in=UNSENT).update(
        status=delivery.status,
        last_error=delivery.last_error,
        next_attempt_at=delivery.next_attempt_at,
    )
    if not recorded:
        delivery.refresh_from_db()
    return bool(recorded)


def _schedule_retry(delivery: InvoiceDelivery) -> None:
    """Enqueue the retry for its time when the task backend can wait (the database queue);
    otherwise the cron's ``send_pending_invoice_emails`` finds it due."""
    from balcao.billing.tasks import send_invoice_email_task

    if delivery.next_attempt_at is None or not send_invoice_email_task.get_backend().supports_defer:
        return
    run_after = delivery.next_attempt_at
    invoice_id = delivery.invoice_id
    transaction.on_commit(
        lambda: send_invoice_email_task.using(run_after=run_after).enqueue(invoice_id=invoice_id)
    )


def due_email_deliveries(now: datetime.datetime | None = None) -> list[int]:
    """The invoices and credit notes whose e-mail is due: never tried, or failed and due
    again (the ids, oldest first)."""
    now = now or timezone.now()
    return list(
        InvoiceDelivery.objects.filter(
            status__in=UNSENT,
            channel=InvoiceDelivery.Channel.EMAIL,
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at", "pk")
        .values_list("invoice_id", flat=True)
    )


def retry_now(deliveries: Sequence[InvoiceDelivery]) -> int:
    """The admin's "Reenviar": failed e-mails are due again at once (attempts count on)."""
    return InvoiceDelivery.objects.filter(
        pk__in=[d.pk for d in deliveries],
        channel=InvoiceDelivery.Channel.EMAIL,
        status=InvoiceDelivery.Status.FAILED,
    ).update(next_attempt_at=timezone.now())
