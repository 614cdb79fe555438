"""The direct debit returns import's throughput: a camt.054 of N lines (90 % settled, 10 %
returned with AM04) read by ``manage.py import_sepa_returns``.

Usage: `make bench-returns` (or `DEBUG=1 .venv/bin/python bench/sepa_returns.py --lines
10000`; with `DATABASE_URL=postgres://…` on PostgreSQL: the database is migrated and filled,
use a throw-away one). Generates N open invoices (N/10 accounts × 10 months, as
bench/import_payments.py), an active mandate per account and one direct debit file (a
DirectDebitBatch) collecting every invoice, written directly: the pain.008 itself is not
what is measured. Then the bank's camt.054 answering every debit, in a fixed random order,
one in ten returned. Times the command on it (the receipts' PDFs queued for the db_worker,
as in production, not rendered) (one transaction), then the same file again
(which changes nothing), and prints lines per second (wall and CPU, this process and the
database's backend).
"""

import argparse
import datetime
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.billing import _cpu_of, _server_process  # noqa: E402
from bench.import_payments import generate_invoices  # noqa: E402

DUE = datetime.date(2026, 11, 30)
IBAN = "PT50003506510000000000158"


def generate_collections(invoices) -> list[tuple[str, object]]:
    """A mandate per account and a sent debit per invoice; (end-to-end id, amount)."""
    from django.db import transaction

    from balcao.billing.models import DirectDebitMandate, Invoice
    from balcao.payments.models import DirectDebitBatch, DirectDebitCollection

    pks = [pk for pk, _sequence, _total in invoices]
    with transaction.atomic():
        rows = list(
            Invoice.objects.filter(pk__in=pks)
            .order_by("pk")
            .values_list("pk", "account_id", "number", "gross_total")
        )
        accounts = sorted({account_id for _pk, account_id, _n, _t in rows})
        mandates = DirectDebitMandate.objects.bulk_create(
            DirectDebitMandate(
                reference=f"BENCH-{account_id}",
                account_id=account_id,
                debtor_name=f"Cliente {account_id}",
                debtor_address="Rua Barão de Viamonte 12, 2400-137 LEIRIA",
                iban=IBAN,
                creditor_name="SMAS de Leiria",
                creditor_address="Leiria",
                creditor_identifier="PT12ZZZ123456",
                signed_at=datetime.date(2026, 1, 1),
                signed_place="Leiria",
                authorisation_text="bench",
            )
            for account_id in accounts
        )
        mandate_of = {m.account_id: m.pk for m in mandates}
        batch = DirectDebitBatch.objects.create(
            due_date=DUE, status=DirectDebitBatch.Status.DONE, collections_count=len(rows)
        )
        DirectDebitCollection.objects.bulk_create(
            (
                DirectDebitCollection(
                    batch=batch,
                    invoice_id=pk,
                    mandate_id=mandate_of[account_id],
                    amount=total,
                    sequence_type="RCUR",
                    end_to_end_id=number,
                )
                for pk, account_id, number, total in rows
            ),
            batch_size=2000,
        )
    return [(number, total) for _pk, _a, number, total in rows]


def returns_file(collections, lines: int) -> bytes:
    from balcao.payments.bank_files import BankOutcome, camt054_notification

    rng = random.Random(54)  # noqa: S311 - generated data
    chosen = rng.sample(collections, min(lines, len(collections)))
    outcomes = [
        BankOutcome(
            end_to_end_id=number,
            settled=n % 10 != 0,
            reason_code="" if n % 10 else "AM04",
            on=DUE,
            amount=total,
        )
        for n, (number, total) in enumerate(chosen)
    ]
    return camt054_notification(message_id="BENCH-NTF", iban=IBAN, outcomes=outcomes)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=10_000)
    args = parser.parse_args()

    os.environ.setdefault("DEBUG", "1")
    var = os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="balcao-bench-returns-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balcao.settings")
    # As in production: the command enqueues the receipts' PDFs in the database's task
    # queue, a db_worker renders them (not timed here). Setting settings.TASKS after
    # django.setup() does not work: django_tasks has read it already.
    os.environ["TASKS_BACKEND"] = "database"
    import django
    from django.conf import settings

    django.setup()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = False  # DEBUG=1 only to start without a SECRET_KEY: no query log
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from balcao.billing.models import Invoice
    from balcao.payments.models import DirectDebitCollection, Receipt

    if Invoice.objects.exists():
        sys.exit("The database has invoices already: use a fresh one.")
    started = time.perf_counter()
    collections = generate_collections(generate_invoices(args.lines))
    data = returns_file(collections, args.lines)
    path = Path(var) / "camt054-bench.xml"
    path.write_bytes(data)
    print(
        f"{len(collections)} debits sent and a camt.054 of {args.lines} lines generated in "
        f"{time.perf_counter() - started:.1f} s ({len(data) / 1e6:.1f} MB)"
    )
    for attempt in ("first", "again"):
        server = _server_process()
        started, cpu, server_cpu = time.perf_counter(), time.process_time(), _cpu_of(server)
        out = io.StringIO()
        call_command("import_sepa_returns", str(path), stdout=out, stderr=io.StringIO())
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        server_cpu = _cpu_of(server) - server_cpu
        summary = out.getvalue().strip().splitlines()[-1]
        print(
            f"import_sepa_returns ({attempt}) on {connection.vendor}: {args.lines} lines in "
            f"{seconds:.1f} s = {args.lines / seconds:.0f} lines/s (wall); CPU: this process "
            f"{cpu:.1f} s, the database's backend {server_cpu:.1f} s\n  {summary}"
        )
    statuses = dict(
        DirectDebitCollection.objects.values_list("status").annotate(n=django.db.models.Count("pk"))
    )
    numbers = sorted(Receipt.objects.values_list("sequence", flat=True))
    gapless = numbers == list(range(1, len(numbers) + 1))
    print(f"debits: {statuses}; {len(numbers)} receipts, numbered without gaps: {gapless}")


if __name__ == "__main__":
    main()
