from django.core.management.base import BaseCommand
from django.utils import timezone

from balcao.readings.tasks import send_reading_reminders_task


class Command(BaseCommand):
    help = "Envia o lembrete de leitura a quem o pediu, quando abre o período (correr 1x por dia)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        result = send_reading_reminders_task.enqueue(today=today.isoformat())
        if result.is_finished:
            self.stdout.write(f"Lembretes enviados: {result.return_value}")
        else:
            self.stdout.write(f"Envio de lembretes em fila ({result.id}).")
