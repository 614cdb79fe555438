"""``manage.py import_sepa_returns FILE``: the bank's answers to the direct debit files
(pain.002 status report or camt.054 notification). Debits collected issue their receipts;
debits returned put their invoice back to "Por pagar" and tell the customer. The file is
kept (Pagamentos › Ficheiros de devoluções do banco, as the admin's upload) and imported
once: the same file twice is reported as already imported."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from balcao.payments.bank_files import BankFileError
from balcao.payments.services.bank_returns import import_returns
from balcao.payments.services.received_files import AlreadyImported


class Command(BaseCommand):
    help = "Importa a resposta do banco aos débitos diretos (pain.002 ou camt.054)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="O ficheiro XML do banco.")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Ficheiro não encontrado: {path}")
        started = time.monotonic()
        try:
            _returns_file, counts = import_returns(name=path.name, data=path.read_bytes())
        except BankFileError as error:
            raise CommandError(str(error)) from error
        except AlreadyImported as error:
            earlier = error.earlier
            self.stdout.write(
                f"{path.name}: este ficheiro já foi importado em {earlier.created_at:%d/%m/%Y} "
                f"({earlier.name}): nada a fazer."
            )
            return
        elapsed = time.monotonic() - started
        self.stdout.write(f"[{'#' * 30}] {counts.read}/{counts.read}")
        self.stdout.write(
            f"{path.name}: {counts.read} débitos lidos, {counts.settled} cobrados, "
            f"{counts.returned} devolvidos, {counts.unchanged} já registados, "
            f"{counts.unmatched} sem correspondência ({elapsed:.1f} s)."
        )
        for line in counts.errors:
            self.stderr.write(f"  {line}")
