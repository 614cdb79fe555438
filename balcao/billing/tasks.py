"""Background work of the billing area."""

from django_tasks import task


@task()
def keep_invoice_pdf_task(*, invoice_id: int) -> str:
    """Draw and keep an issued document's PDF (enqueued when the document commits)."""
    from balcao.billing.services.pdfs import keep_invoice_pdf

    return keep_invoice_pdf(invoice_id).pdf.name or ""
