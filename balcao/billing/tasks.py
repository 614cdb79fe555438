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


@task()
def send_invoice_email_task(*, invoice_id: int) -> str:
    """E-mail an issued invoice to its e-invoice account (after the invoice commits; again
    for a retry): returns the delivery's status."""
    from balcao.billing.services.deliveries import send_invoice_email

    delivery = send_invoice_email(invoice_id)
    return delivery.status if delivery is not None else ""


@task()
def print_run_task(*, print_run_id: int) -> int:
    """ "Imprimir faturas" started in the admin: returns the invoices printed."""
    from balcao.billing.services.print_runs import perform_print_run

    return perform_print_run(print_run_id).done
