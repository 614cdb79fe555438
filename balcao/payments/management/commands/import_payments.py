"""``manage.py import_payments FILE``: import a Multibanco notification file (docs/payments.md
"Multibanco"). One transaction per file; the same file, or a transaction already imported,
changes nothing and is reported as already imported."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from balcao.payments.multibanco_file import NotANotificationFile
from balcao.payments.services.multibanco_import import ImportCounts, import_payments
from balcao.payments.services.received_files import AlreadyImported

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Importa um ficheiro de pagamentos Multibanco e concilia-o com as faturas em aberto."

    def add_arguments(self, parser):
        parser.add_argument("file", help="O ficheiro CSV da rede Multibanco (docs/payments.md).")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Não consigo ler {path}: {error.strerror}.") from error
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False
        started = time.monotonic()
        try:
            mb_file, counts = import_payments(
                name=path.name, data=data, progress=lambda c: self._progress(c, interactive)
            )
        except AlreadyImported as already:
            earlier = already.earlier
            when = timezone.localtime(earlier.created_at)
            self.stdout.write(
                f"{path.name}: já importado em {when:%d/%m/%Y %H:%M} "
                f"({earlier.lines_read} linhas lidas, todas já importadas). Nada mudou."
            )
            return
        except NotANotificationFile as error:
            raise CommandError(f"{path.name} não é um ficheiro Multibanco: {error}.") from error
        elapsed = time.monotonic() - started
        if interactive:
            self.stdout.write("")
        self.stdout.write(
            f"{mb_file.name}: {counts.lines_read} linhas lidas, {counts.matched} conciliadas, "
            f"{counts.queued} por conciliar, {counts.already_imported} já importadas "
            f"({elapsed:.1f} s, {counts.lines_read / elapsed if elapsed else 0:.0f} linhas/s)."
        )
        if counts.queued:
            self.stdout.write(
                "As linhas por conciliar estão no back office: Pagamentos por conciliar."
            )

    def _progress(self, counts: ImportCounts, interactive: bool) -> None:
        done = counts.seen / counts.total if counts.total else 1
        filled = int(done * BAR_WIDTH)
        bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {counts.seen}/{counts.total}"
        if interactive:
            self.stdout.write(f"\r{bar}", ending="")
            self.stdout.flush()
        else:
            self.stdout.write(bar)
