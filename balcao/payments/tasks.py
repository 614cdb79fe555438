"""Background work of the payments area."""

from django_tasks import task


@task()
def keep_receipt_pdf_task(*, receipt_id: int) -> str:
    """Draw and keep a receipt's PDF (enqueued when the receipt commits)."""
    from balcao.payments.services.pdfs import keep_receipt_pdf

    return keep_receipt_pdf(receipt_id).pdf.name or ""
