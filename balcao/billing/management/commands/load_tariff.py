"""``manage.py load_tariff FILE.toml [--replace]``: store the tariff a TOML file describes
(format: docs/billing.md; examples: data/tariffs/)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from balcao.billing.computation import TariffError
from balcao.billing.models import TariffInUse
from balcao.billing.services.tariffs import save_tariff
from balcao.billing.tariff_file import read_tariff_file


class Command(BaseCommand):
    help = "Carrega um tarifário de um ficheiro TOML (formato em docs/billing.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Substitui um tarifário do mesmo tipo e data ainda não usado em faturas.",
        )

    def handle(self, *args, file: Path, replace: bool, **options):
        try:
            tariffs, source = read_tariff_file(file)
            for data in tariffs:
                tariff = save_tariff(data, source=source, replace=replace)
                self.stdout.write(f"Tarifário carregado: {tariff}")
        except FileNotFoundError:
            raise CommandError(f"{file}: ficheiro não encontrado.") from None
        except (TariffError, TariffInUse, ValueError, ValidationError) as error:
            raise CommandError(f"{file}: {error}") from None
