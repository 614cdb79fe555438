from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from balcao.readings.importer import import_route_file


class Command(BaseCommand):
    help = (
        "Importa leituras dos SMAS de um ficheiro de rota (CSV com as colunas cil ou contador, "
        "data, indice, leitor). Tudo ou nada: com uma linha rejeitada, nada é importado."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Só verifica o ficheiro; não guarda nada."
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Não foi possível ler {file}: {error}") from error
        report = import_route_file(text, dry_run=dry_run)
        for line, reason in report.rejected:
            self.stderr.write(f"Linha {line}: {reason}")
        if report.rejected:
            raise CommandError(f"Nada foi importado: {len(report.rejected)} linha(s) rejeitada(s).")
        if dry_run:
            self.stdout.write(f"Ficheiro válido: {report.imported} leitura(s) a importar.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Importadas {report.imported} leitura(s)."))
