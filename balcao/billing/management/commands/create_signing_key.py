"""``manage.py create_signing_key``: the demo's key pair for the invoice signatures
(Portaria 363/2010), at BILLING_PRIVATE_KEY_PATH, only when no key is there yet.

Production installs its own key (the one whose public half the AT certified) at that path;
this command never replaces a key: a new key breaks nothing already signed, but it is a new
HashControl version (BILLING_KEY_VERSION) and must be a deliberate act.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from balcao.billing.signature import generate_key_pair


class Command(BaseCommand):
    help = "Cria o par de chaves de assinatura das faturas, se ainda não existir."

    def handle(self, *args, **options):
        path = Path(settings.BILLING_PRIVATE_KEY_PATH)
        if path.exists():
            self.stdout.write(f"A chave de assinatura já existe: {path}")
            return
        generate_key_pair(path)
        self.stdout.write(
            f"Chave de assinatura criada: {path} (pública: {path.with_suffix('.pub.pem')})"
        )
