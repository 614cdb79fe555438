""" "Imprimir faturas" (issue 13): a month's paper invoices and credit notes as one PDF for the
printer.

The run joins the documents' kept PDFs (the document as issued, never drawn again: DOMAIN.md
"Invoices"), the invoices in the order of their numbers and then the credit notes in theirs,
each on its own pages with the address in the DL envelope's window (``invoice_pdf``),
writes the file under MEDIA_ROOT/print-runs/, and then marks each document's paper
delivery sent, by this run. It runs in the background
(``tasks.print_run_task``); its admin page shows how far it got. A later run of the same
month prints only what is still unsent, unless asked to include what was sent.
"""

import datetime
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from balcao.accounts.models import User
from balcao.billing.models import DocumentType, Invoice, InvoiceDelivery, InvoicePrintRun
from balcao.billing.services.billing_run import month_bounds

CHUNK = 100
STALE_AFTER = datetime.timedelta(hours=6)


class PrintRunError(ValueError):
    """A run that cannot start as asked (another run of the month is not finished)."""


def paper_deliveries(month: datetime.date, *, include_sent: bool = False) -> QuerySet:
    """The paper deliveries of the invoices and credit notes issued in ``month``, the
    invoices first, each kind in the order of its numbers: those still to send (and those
    sent, when asked). Invoices cancelled by a credit note before they were sent are left
    out (their credit note is printed)."""
    first, last = month_bounds(month)
    deliveries = InvoiceDelivery.objects.filter(
        channel=InvoiceDelivery.Channel.PAPER,
        invoice__document_type__in=[DocumentType.INVOICE, DocumentType.CREDIT_NOTE],
        invoice__issue_date__range=(first, last),
    )
    # Cancelled before it went out: the customer gets its credit note and its replacement,
    # not this one (withdrawn by the credit note; or a row from before withdrawals).
    deliveries = deliveries.exclude(
        Q(status=InvoiceDelivery.Status.WITHDRAWN)
        | (Q(invoice__status=Invoice.Status.CANCELLED) & ~Q(status=InvoiceDelivery.Status.SENT))
    )
    if not include_sent:
        deliveries = deliveries.exclude(status=InvoiceDelivery.Status.SENT)
    # "FT" sorts before "NC": the invoices, then the credit notes.
    return deliveries.order_by("invoice__document_type", "invoice__series_id", "invoice__sequence")


def unfinished_runs(month: datetime.date) -> QuerySet:
    """The month's runs queued or running, but for one left so by a worker that died (no
    run takes STALE_AFTER): they do not block a new run."""
    return InvoicePrintRun.objects.filter(
        month=month.replace(day=1),
        status__in=[InvoicePrintRun.Status.QUEUED, InvoicePrintRun.Status.RUNNING],
        created_at__gt=timezone.now() - STALE_AFTER,
    )


def start_print_run(
    *, month: datetime.date, include_sent: bool = False, actor: User | None = None
) -> InvoicePrintRun:
    """Record a run and hand it to the background worker after commit."""
    from balcao.billing.tasks import print_run_task

    month = month.replace(day=1)
    with transaction.atomic():
        if unfinished_runs(month).select_for_update().exists():
            raise PrintRunError(f"A print run of {month:%Y-%m} is not finished.")
        print_run = InvoicePrintRun.objects.create(
            month=month, include_sent=include_sent, started_by=actor
        )
        transaction.on_commit(lambda: print_run_task.enqueue(print_run_id=print_run.pk))
    return print_run


def _update(print_run: InvoicePrintRun, **values: object) -> None:
    InvoicePrintRun.objects.filter(pk=print_run.pk).update(**values)
    for name, value in values.items():
        setattr(print_run, name, value)


def file_name(print_run: InvoicePrintRun) -> str:
    return f"print-runs/{print_run.month:%Y}/faturas-{print_run.month:%Y-%m}-{print_run.pk}.pdf"


def perform_print_run(print_run_id: int) -> InvoicePrintRun:
    """Make the run's PDF and mark its invoices sent; the counters are written every
    CHUNK invoices, for the admin's page. A failure leaves the run failed, nothing marked."""
    from balcao.billing.services.pdfs import keep_invoice_pdf

    # Taken by one worker only (a task delivered twice does the work once).
    taken = InvoicePrintRun.objects.filter(
        pk=print_run_id, status=InvoicePrintRun.Status.QUEUED
    ).update(status=InvoicePrintRun.Status.RUNNING)
    print_run = InvoicePrintRun.objects.get(pk=print_run_id)
    if not taken:
        return print_run
    picked = list(
        paper_deliveries(print_run.month, include_sent=print_run.include_sent).values_list(
            "pk", "invoice_id"
        )
    )
    _update(print_run, total=len(picked))
    if not picked:  # nothing left to print this month: done, without a file
        _update(print_run, status=InvoicePrintRun.Status.DONE, finished_at=timezone.now())
        return print_run
    try:
        writer = PdfWriter()
        for start in range(0, len(picked), CHUNK):
            chunk = picked[start : start + CHUNK]
            kept = Invoice.objects.in_bulk([invoice_id for _pk, invoice_id in chunk])
            for _pk, invoice_id in chunk:
                invoice = kept[invoice_id]
                if not invoice.pdf:  # issued with BILLING_RENDER_PDF off: drawn now, once
                    invoice = keep_invoice_pdf(invoice_id)
                with invoice.pdf.open("rb") as handle:
                    writer.append(PdfReader(io.BytesIO(handle.read())))
            _update(print_run, done=start + len(chunk), pages=len(writer.pages))
        buffer = io.BytesIO()
        writer.write(buffer)
        name = default_storage.save(file_name(print_run), ContentFile(buffer.getvalue()))
    except Exception as error:
        _update(
            print_run,
            status=InvoicePrintRun.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:500],
            finished_at=timezone.now(),
        )
        raise
    now = timezone.now()
    pks = [pk for pk, _invoice_id in picked]
    with transaction.atomic():
        for start in range(0, len(pks), CHUNK * 10):
            part = pks[start : start + CHUNK * 10]
            InvoiceDelivery.objects.filter(pk__in=part, status__in=_UNSENT).update(
                status=InvoiceDelivery.Status.SENT, sent_at=now
            )
            InvoiceDelivery.objects.filter(pk__in=part).update(print_run=print_run)
        _update(print_run, status=InvoicePrintRun.Status.DONE, file=name, finished_at=now)
    return print_run


_UNSENT = [InvoiceDelivery.Status.PENDING, InvoiceDelivery.Status.FAILED]
