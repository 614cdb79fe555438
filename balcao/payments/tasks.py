"""Background work of the payments area."""

from django_tasks import task


@task()
def import_multibanco_file_task(*, file_id: int) -> int:
    """A Multibanco file uploaded in the admin: returns the lines matched."""
    from balcao.payments.models import MultibancoFile
    from balcao.payments.services.multibanco_import import perform_import

    return perform_import(MultibancoFile.objects.get(pk=file_id)).matched
