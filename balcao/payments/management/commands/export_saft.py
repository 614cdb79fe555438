"""``manage.py export_saft --month 2026-10 --output saft-2026-10.xml``: the month's SAF-T (PT).

Payments' command, because the file holds both billing's documents (SalesInvoices, written by
``balcao.billing.saft``) and payments' receipts (Payments, ``balcao.payments.saft``), and only
payments knows both (docs/architecture.md: "Up, to the composer").
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from balcao.billing.saft import write_saft
from balcao.core.money import format_euros
from balcao.payments.saft import PaymentsSection


def _month(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"--month is YYYY-MM, not {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Write the SAF-T (PT) 1.04_01 file of the invoices, credit notes and receipts issued "
        "in a month (the file the utility sends to the tax authority every month)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM, e.g. 2026-10")
        parser.add_argument("--output", required=True, help="the XML file to write")

    def handle(self, *args, month, output, verbosity=1, **options):
        first_day = _month(month)
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")

        def progress(done: int, total: int) -> None:
            if verbosity >= 1:
                self.stdout.write(f"{done}/{total} documents")

        payments = PaymentsSection(first_day)
        with partial.open("wb") as handle:
            summary = write_saft(handle, month=first_day, progress=progress, sections=[payments])
        partial.replace(path)  # a half-written file never takes the final name
        self.stdout.write(
            self.style.SUCCESS(
                f"SAF-T {first_day:%Y-%m}: {summary.number_of_entries} documents, "
                f"{summary.customers} customers, total credit "
                f"{format_euros(summary.total_credit)}, total debit "
                f"{format_euros(summary.total_debit)}; {payments.number_of_entries} receipts, "
                f"total credit {format_euros(payments.total_credit)} -> {path}"
            )
        )
