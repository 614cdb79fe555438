from django.core.management.base import BaseCommand

from balcao.contracts import services


class Command(BaseCommand):
    help = (
        "Apaga o PDF guardado das cartas de ativação cujo código já foi usado, anulado ou "
        "expirou (correr 1x por dia)."
    )

    def handle(self, *args, **options):
        deleted = services.delete_spent_letter_pdfs()
        self.stdout.write(f"PDFs de cartas apagados: {deleted}")
