"""``manage.py sepa_collection --due 2026-11-20``: the direct debit file (pain.008) of the
invoices due that day (docs/payments.md "Débito direto"). Safe to repeat: an invoice is
collected once; a second run for the same day writes nothing."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from balcao.payments.services.direct_debit import CollectionCounts, collect_due_invoices

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Escreve o ficheiro de débitos diretos SEPA (pain.008) das faturas que vencem num dia."

    def add_arguments(self, parser):
        parser.add_argument("--due", required=True, help="A data de vencimento: AAAA-MM-DD.")

    def handle(self, *args, due, **options):
        try:
            due_date = datetime.date.fromisoformat(due)
        except ValueError as error:
            raise CommandError(f"--due: AAAA-MM-DD, por exemplo 2026-11-20 ({error}).") from error
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False
        started = time.monotonic()
        batch = collect_due_invoices(
            due_date=due_date, progress=lambda counts: self._progress(counts, interactive)
        )
        elapsed = time.monotonic() - started
        if interactive:
            self.stdout.write("")
        self.stdout.write(
            f"Débitos diretos de {due_date:%d/%m/%Y}: {batch.total} faturas a debitar, "
            f"{batch.collections_count} no ficheiro ({batch.first_count} FRST, "
            f"{batch.recurrent_count} RCUR), {batch.total_amount} €, "
            f"{batch.skipped} sem autorização em vigor ({elapsed:.1f} s)."
        )
        if batch.file:
            self.stdout.write(f"Ficheiro: {batch.file.path} (mensagem {batch.message_id})")
        else:
            self.stdout.write("Nada a debitar: nenhum ficheiro escrito.")
        for line in batch.errors.splitlines():
            self.stderr.write(f"  {line}")

    def _progress(self, counts: CollectionCounts, interactive: bool) -> None:
        done = counts.seen / counts.total if counts.total else 1
        filled = int(done * BAR_WIDTH)
        bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {counts.seen}/{counts.total}"
        if interactive:
            self.stdout.write(f"\r{bar}", ending="")
            self.stdout.flush()
        else:
            self.stdout.write(bar)
