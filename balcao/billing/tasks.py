"""Background work of the billing area."""

from django_tasks import task


@task()
def keep_invoice_pdf_task(*, invoice_id: int) -> str:
    """Draw and keep an issued document's PDF (enqueued when the document commits)."""
    from balcao.billing.services.pdfs import keep_invoice_pdf

    return keep_invoice_pdf(invoice_id).pdf.name or ""


@task()
def billing_run_task(*, billing_run_id: int) -> int:
    """A billing run started in the admin: returns the invoices issued."""
    from balcao.billing.models import BillingRun
    from balcao.billing.services.billing_run import perform_billing_run

    return perform_billing_run(BillingRun.objects.get(pk=billing_run_id)).issued
