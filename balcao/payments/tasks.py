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
