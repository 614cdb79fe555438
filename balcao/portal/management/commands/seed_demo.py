"""Loads the demo utility (SMAS de Leiria): master data, users and history.

Each app adds its part through a ``seed(*, rng, today, stdout)`` function in its demo
module, called in dependency order. The command is deterministic (fixed random seed)
and runs once per database: a second run only prints the logins.
"""

import importlib
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from balcao.accounts.models import User

DEMO_MODULES = [
    "balcao.contracts.demo",
    "balcao.portal.demo",
    "balcao.contracts.demo_queue",
    "balcao.readings.demo",
    "balcao.billing.demo",
    "balcao.payments.demo",  # pays billing's history through register_payment
    "balcao.payments.demo_sepa",
    "balcao.service_requests.demo",
    "balcao.notices.demo",
    "balcao.payments.demo_dunning",
    # Last: the Multibanco file left in var/ for a clerk reads the invoices as the demo ends.
    "balcao.payments.demo_multibanco",
]

LOGINS = """
Balcão Digital — demonstração ({utility})
  Endereço:  {site_url}
  Password de todos os utilizadores: Leiria-2026!
    ana          cliente com dois contratos ("Casa" e "Loja")
    bruno        outro cliente, com um contrato
    legado       conta do portal antigo: os contratos do seu NIF foram migrados
    atendimento  back office (grupo Atendimento): {site_url}/admin/
    admin        superutilizador
    carlos, diana, eduardo  clientes com pedidos de adesão em cada estado
  Para experimentar "Adicionar um contrato":
    cliente 200001, conta 300001, CIL 400001 (ativação por e-mail: novo.cliente@example.pt)
    cliente 200002, conta 300002, CIL 400002 (ativação por carta)
  E-mails enviados: {mail}  (um ficheiro .eml por mensagem)
  Cartas de ativação: {letters}
  Pagamentos Multibanco por importar: {multibanco}
    (manage.py import_payments, ou no back office: Pagamentos › Ficheiros Multibanco)
"""


class Command(BaseCommand):
    help = "Carrega a entidade de demonstração (SMAS de Leiria). Seguro de repetir."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, customers, seed, **options):
        if User.objects.filter(username="ana").exists():
            self.stdout.write("A demonstração já está carregada.")
        else:
            started = time.monotonic()
            rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
            today = timezone.localdate()
            with transaction.atomic():
                for path in DEMO_MODULES:
                    try:
                        module = importlib.import_module(path)
                    except ModuleNotFoundError as error:
                        if error.name != path:
                            raise
                        continue
                    kwargs = {"customers": customers} if path == "balcao.contracts.demo" else {}
                    module.seed(rng=rng, today=today, stdout=self.stdout, **kwargs)
            self.stdout.write(f"Demonstração carregada em {time.monotonic() - started:.1f} s.")
        self.stdout.write(
            LOGINS.format(
                utility=settings.UTILITY["short_name"],
                site_url=settings.SITE_URL,
                mail=settings.EMAIL_FILE_PATH,
                letters=settings.LETTERS_DIR,
                multibanco=settings.VAR_DIR / "pagamentos-multibanco-demo.csv",
            )
        )
