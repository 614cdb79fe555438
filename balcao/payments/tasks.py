"""Background work of the payments area."""

from django_tasks import task


@task()
def warning_run_task(*, warning_run_id: int) -> int:
    """A cut-off warning run started in the admin: returns the warnings generated."""
    from balcao.payments.models import WarningRun
    from balcao.payments.services.dunning import perform_warning_run

    return perform_warning_run(WarningRun.objects.get(pk=warning_run_id)).done
