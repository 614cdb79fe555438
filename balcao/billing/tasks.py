"""Background work of the billing area."""

from django_tasks import task


@task()
def billing_run_task(*, billing_run_id: int) -> int:
    """A billing run started in the admin: returns the invoices issued."""
    from balcao.billing.models import BillingRun
    from balcao.billing.services.billing_run import perform_billing_run

    return perform_billing_run(BillingRun.objects.get(pk=billing_run_id)).issued
