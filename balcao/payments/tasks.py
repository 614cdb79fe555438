"""Background work of the payments area."""

from django_tasks import task


@task()
def direct_debit_file_task(*, batch_id: int) -> int:
    """A direct debit file asked for in the admin: returns the debits written."""
    from balcao.payments.models import DirectDebitBatch
    from balcao.payments.services.direct_debit import collect_due_invoices

    batch = DirectDebitBatch.objects.get(pk=batch_id)
    return collect_due_invoices(
        due_date=batch.due_date, actor=batch.created_by, batch=batch
    ).collections_count


@task()
def warning_run_task(*, warning_run_id: int) -> int:
    """A cut-off warning run started in the admin: returns the warnings generated."""
    from balcao.payments.models import WarningRun
    from balcao.payments.services.dunning import perform_warning_run

    return perform_warning_run(WarningRun.objects.get(pk=warning_run_id)).done


@task()
def keep_receipt_pdf_task(*, receipt_id: int) -> str:
    """Draw and keep a receipt's PDF (enqueued when the receipt commits)."""
    from balcao.payments.services.pdfs import keep_receipt_pdf

    return keep_receipt_pdf(receipt_id).pdf.name or ""
