"""``manage.py run_billing --period 2026-10 [--municipality 1009] [--issue-date 2026-11-02]``:
the monthly billing run (docs/billing.md "The billing run"). Safe to repeat: what is billed
is skipped; run several at once (one per municipality) and numbers stay gapless."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from balcao.billing.models import BillingRun
from balcao.billing.services.billing_run import (
    BillingError,
    RunCounts,
    month_bounds,
    parse_month,
    run_billing,
)
from balcao.core.models import Municipality
from balcao.core.transitions import transition

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Emite as faturas de um mês: uma por contrato ativo (faturação mensal)."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="O mês a faturar: AAAA-MM.")
        parser.add_argument("--municipality", help="Só os contratos deste concelho (código).")
        parser.add_argument("--issue-date", help="Data de emissão AAAA-MM-DD (hoje, por omissão).")

    def handle(self, *args, period, municipality, issue_date, **options):
        try:
            month = parse_month(period)
        except ValueError as error:
            raise CommandError(f"--period: AAAA-MM, por exemplo 2026-10 ({error}).") from error
        try:
            day = datetime.date.fromisoformat(issue_date) if issue_date else None
        except ValueError as error:
            raise CommandError(f"--issue-date: AAAA-MM-DD ({error}).") from error
        place = None
        if municipality:
            place = Municipality.objects.filter(code=municipality).first()
            if place is None:
                raise CommandError(f"Concelho desconhecido: {municipality}.")
        from django.utils import timezone

        day = day or timezone.localdate()
        if month_bounds(month)[1] >= day:
            raise CommandError(f"O mês {month:%Y-%m} ainda não terminou em {day:%d/%m/%Y}.")
        billing_run = BillingRun.objects.create(
            period=month, municipality=place, issue_date=day, status=BillingRun.Status.QUEUED
        )
        transition(billing_run, BillingRun.Status.RUNNING)
        started = time.monotonic()
        interactive = self.stdout.isatty() if hasattr(self.stdout, "isatty") else False
        try:
            counts = run_billing(
                month=month,
                municipality_code=municipality,
                issue_date=day,
                billing_run=billing_run,
                progress=lambda counts: self._progress(counts, interactive),
            )
        except BillingError as error:
            transition(billing_run, BillingRun.Status.FAILED, note=str(error))
            raise CommandError(str(error)) from error
        billing_run.finished_at = timezone.now()
        transition(billing_run, BillingRun.Status.DONE, fields=["finished_at"])
        elapsed = time.monotonic() - started
        if interactive:
            self.stdout.write("")
        self.stdout.write(
            f"Faturação de {month:%Y-%m}"
            + (f" ({place})" if place else "")
            + f": {counts.seen} contratos vistos, {counts.issued} faturas emitidas, "
            f"{counts.skipped} já faturados, {counts.failed} falhas "
            f"({elapsed:.1f} s, {counts.issued / elapsed if elapsed else 0:.0f} faturas/s)."
        )
        for message in counts.errors:
            self.stderr.write(f"  falha: {message}")
        if counts.failed:
            raise CommandError(f"{counts.failed} contratos não foram faturados: veja as falhas.")

    def _progress(self, counts: RunCounts, interactive: bool) -> None:
        done = counts.seen / counts.total if counts.total else 1
        filled = int(done * BAR_WIDTH)
        bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {counts.seen}/{counts.total}"
        if interactive:
            self.stdout.write(f"\r{bar}", ending="")
            self.stdout.flush()
        else:
            self.stdout.write(bar)
