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


@task()
def keep_receipt_pdfs_task(*, receipt_ids: list[int]) -> int:
    """Draw and keep the PDFs of a batch of receipts (a Multibanco file's); returns how many."""
    from balcao.payments.services.pdfs import keep_receipt_pdf

    for receipt_id in receipt_ids:
        keep_receipt_pdf(receipt_id)
    return len(receipt_ids)


@task()
def import_multibanco_file_task(*, file_id: int) -> int:
    """A Multibanco file uploaded in the admin: returns the lines matched."""
    from balcao.payments.models import MultibancoFile
    from balcao.payments.services.multibanco_import import perform_import

    return perform_import(MultibancoFile.objects.get(pk=file_id)).matched


@task()
def import_bank_return_file_task(*, file_id: int) -> int:
    """A bank's answer to the direct debit files uploaded in the admin: returns the debits
    returned."""
    from balcao.payments.models import BankReturnFile
    from balcao.payments.services.bank_returns import perform_returns_import

    return perform_returns_import(BankReturnFile.objects.get(pk=file_id)).returned
