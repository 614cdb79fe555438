"""``manage.py send_payment_reminders [--date 2026-11-20]``: the reminder e-mail of every
invoice still unpaid 8 days after its due date, and of every instalment of a payment plan 8
days after its own (cron, once a day). Each is recorded and goes once: safe to repeat.
Invoices held by an open complaint get none."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from balcao.payments.services.dunning import ReminderCounts, send_payment_reminders

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Envia o lembrete de pagamento das faturas por pagar 8 dias depois do prazo (1x por dia)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="O dia a tratar, AAAA-MM-DD (hoje, por omissão).")

    def handle(self, *args, date, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"--date: AAAA-MM-DD ({error}).") from error
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False
        started = time.monotonic()
        counts = send_payment_reminders(
            today=today, progress=lambda counts: self._progress(counts, interactive)
        )
        if interactive and counts.total:
            self.stdout.write("")
        self.stdout.write(
            f"Lembretes de pagamento de {today:%d/%m/%Y}: {counts.total} por enviar, "
            f"{counts.sent} registados ({counts.without_email} sem e-mail), "
            f"{counts.seen - counts.sent} já enviados por outra execução "
            f"({time.monotonic() - started:.1f} s)."
        )

    def _progress(self, counts: ReminderCounts, interactive: bool) -> None:
        done = counts.seen / counts.total if counts.total else 1
        filled = int(done * BAR_WIDTH)
        bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {counts.seen}/{counts.total}"
        if interactive:
            self.stdout.write(f"\r{bar}", ending="")
            self.stdout.flush()
        elif counts.seen == counts.total or counts.seen % 100 == 0:
            self.stdout.write(bar)
