"""Background work of the readings area."""

import datetime

from django_tasks import task


@task()
def send_reading_reminders_task(*, today: str) -> int:
    """The daily reminder run (cron: manage.py send_reading_reminders)."""
    from balcao.readings.services import send_reading_reminders

    return send_reading_reminders(today=datetime.date.fromisoformat(today))
