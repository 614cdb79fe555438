"""The Multibanco import's throughput: lines per second for a file of 10⁵ lines.

Usage: `make bench-import` (or `DEBUG=1 .venv/bin/python bench/import_payments.py --lines
100000`; with `DATABASE_URL=postgres://…` on PostgreSQL: the database is migrated and
filled, use a throw-away one). Generates the open invoices the file pays (as many as the
lines: 10 months of invoices for lines/10 contracts, written directly, numbered in the
invoice series, not signed: the import only reads their references), then a notification
file whose lines are, in a fixed random order: 96 % paying an open invoice, 2 % with
another amount, 1 % a reference nobody has, 1 % unreadable. Times ``import_payments`` (the
command's service: store the file, read it, match, write payments, receipts and lines in
one transaction) and prints lines per second (wall and CPU, this process and the
database's backend). ``--compare N`` also times N payments registered one by one with
``register_payment``, the path the bulk import replaces.
"""

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.billing import _cpu_of, _server_process  # noqa: E402

MONTHS = 10
BATCH = 5000


def generate_invoices(count: int) -> list[tuple[int, int, Decimal]]:
    """``count`` open invoices (count/10 contracts × 10 months); (pk, sequence, total)."""
    from django.db import transaction
    from django.utils import timezone

    from balcao.billing.demo import load_demo_tariffs
    from balcao.billing.models import DocumentType, Invoice, InvoiceSeries, Tariff
    from balcao.billing.services.billing_run import month_bounds
    from balcao.billing.services.invoices import series_for
    from balcao.contracts.models import BillingAccount, Contract, Customer, Installation
    from balcao.core.bulk import insert_rows
    from balcao.core.models import Address
    from balcao.core.territory import ensure_territory

    load_demo_tariffs()
    tariff = Tariff.objects.filter(tariff_type="domestic").order_by("valid_from").first()
    leiria = ensure_territory()
    address = Address.objects.create(
        street="Rua Barão de Viamonte",
        door="12",
        postal_code="2400-137",
        postal_locality="LEIRIA",
        locality="Leiria",
        municipality=leiria,
        district=leiria.district,
    )
    contracts_count = max(count // MONTHS, 1)
    rng = random.Random(13)  # noqa: S311 - generated data
    series = series_for(DocumentType.INVOICE)
    entry = timezone.now().replace(microsecond=0)
    made: list[tuple[int, int, Decimal]] = []
    sequence = 0
    for offset in range(0, contracts_count, BATCH // MONTHS):
        size = min(BATCH // MONTHS, contracts_count - offset)
        with transaction.atomic():
            customers = Customer.objects.bulk_create(
                Customer(
                    customer_number=f"{1000000 + offset + n}",
                    name=f"Cliente {offset + n}",
                    nif="123456789",
                    correspondence_address=address,
                )
                for n in range(size)
            )
            accounts = BillingAccount.objects.bulk_create(
                BillingAccount(
                    account_number=f"{3000000 + offset + n}", customer=c, billing_address=address
                )
                for n, c in enumerate(customers)
            )
            installations = Installation.objects.bulk_create(
                Installation(cil=f"{4000000 + offset + n}", address=address) for n in range(size)
            )
            contracts = Contract.objects.bulk_create(
                Contract(
                    contract_number=f"{8000000 + offset + n}",
                    customer=customers[n],
                    account=accounts[n],
                    installation=installations[n],
                    product=Contract.Product.WATER_SANITATION_WASTE,
                    start_date=datetime.date(2020, 1, 1),
                )
                for n in range(size)
            )
            invoices = []
            for month in range(1, MONTHS + 1):
                start, end = month_bounds(datetime.date(2026, month, 1))
                for contract in contracts:
                    sequence += 1
                    gross = Decimal(rng.randint(800, 9000)) / 100
                    invoices.append(
                        Invoice(
                            series=series,
                            document_type=DocumentType.INVOICE,
                            sequence=sequence,
                            number=series.document_number(sequence),
                            atcud=series.atcud(sequence),
                            contract=contract,
                            account_id=contract.account_id,
                            customer_nif="123456789",
                            customer_name=f"Cliente {contract.pk}",
                            customer_address="Rua Barão de Viamonte 12, 2400-137 LEIRIA",
                            period_start=start,
                            period_end=end,
                            days=(end - start).days + 1,
                            tariff=tariff,
                            tariff_type="domestic",
                            water_volume=Decimal("10"),
                            issue_date=datetime.date(2026, 11, 2),
                            system_entry_at=entry,
                            due_date=datetime.date(2026, 11, 30),
                            net_total=gross,
                            vat_total=Decimal("0"),
                            gross_total=gross,
                            hash="bench",
                            hash_control="1",
                            hash_characters="bnch",
                        )
                    )
            insert_rows(invoices, returning_pks=True)
            made += [(i.pk, i.sequence, i.gross_total) for i in invoices]
    InvoiceSeries.objects.filter(pk=series.pk).update(
        last_number=sequence, last_issue_date=datetime.date(2026, 11, 2)
    )
    return made


def notification_file(invoices: list[tuple[int, int, Decimal]], lines: int) -> bytes:
    from django.conf import settings

    from balcao.payments.payables import invoice_body, reference_for

    rng = random.Random(1313)  # noqa: S311 - generated data
    chosen = rng.sample(invoices, min(lines, len(invoices)))
    entity = settings.MULTIBANCO_ENTITY
    rows = ["entity;reference;amount;paid_at;terminal;transaction_id"]
    for n, (_pk, sequence, total) in enumerate(chosen):
        kind = n % 100
        amount, reference = total, reference_for(invoice_body(sequence), total)
        if kind in (0, 1):  # another amount
            amount = total + Decimal("1.00")
        elif kind == 2:  # nobody's reference: another id, right check digits
            reference = reference_for(invoice_body(sequence + 5_003), amount)
        text = f"{amount:.2f}".replace(".", ",")
        paid = f"2026-11-{1 + n % 20:02d} {n % 24:02d}:{n % 60:02d}:00"
        if kind == 3:  # unreadable
            rows.append(f"{entity};{reference};{text};ontem;T{n % 50};BENCH{n:09d}")
            continue
        rows.append(f"{entity};{reference};{text};{paid};T{n % 50};BENCH{n:09d}")
    return ("\n".join(rows) + "\n").encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--compare", type=int, default=0, help="also N by register_payment")
    args = parser.parse_args()

    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="balcao-bench-import-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balcao.settings")
    # As in production: the import enqueues its receipts' PDFs in the database's task queue
    # and a db_worker draws them (not timed here). settings.TASKS cannot be changed after
    # django.setup(): django_tasks has read it by then.
    os.environ["TASKS_BACKEND"] = "database"
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # DEBUG=1 only to start without a SECRET_KEY: no query log
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from balcao.billing.models import Invoice
    from balcao.payments.services.multibanco_import import import_payments

    if Invoice.objects.exists():
        sys.exit("The database has invoices already: use a fresh one.")
    started = time.perf_counter()
    invoices = generate_invoices(args.lines)
    data = notification_file(invoices, args.lines)
    print(
        f"{len(invoices)} open invoices and a file of {args.lines} lines generated in "
        f"{time.perf_counter() - started:.1f} s ({len(data) / 1e6:.1f} MB)"
    )
    server = _server_process()
    started, cpu, server_cpu = time.perf_counter(), time.process_time(), _cpu_of(server)
    _file, counts = import_payments(name="bench.csv", data=data)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    server_cpu = _cpu_of(server) - server_cpu
    print(
        f"import_payments on {connection.vendor}: {counts.lines_read} lines "
        f"({counts.matched} matched, {counts.queued} queued) in {seconds:.1f} s"
        f" = {counts.lines_read / seconds:.0f} lines/s (wall)"
    )
    total = cpu + server_cpu
    print(
        f"CPU: this process {cpu:.1f} s, the database's backend {server_cpu:.1f} s"
        f" = {counts.lines_read / total:.0f} lines per CPU second"
    )
    if args.compare:
        compare_one_by_one(args.compare)


def compare_one_by_one(count: int) -> None:
    """The same payments by register_payment, one transaction each (the path replaced)."""
    from django.db import connection
    from django.utils import timezone

    from balcao.billing.models import Invoice
    from balcao.payments.services.receipts import register_payment, settle_in_full

    open_invoices = list(
        Invoice.objects.filter(status="issued", account__direct_debit=False)
        .select_related("account")
        .order_by("pk")[:count]
    )
    started = time.perf_counter()
    for invoice in open_invoices:
        register_payment(
            account=invoice.account,
            method="multibanco",
            paid_at=timezone.now(),
            amount=invoice.gross_total,
            allocations=settle_in_full([invoice]),
            source="bench",
            transaction_id=f"ONE{invoice.pk}",
        )
    seconds = time.perf_counter() - started
    print(
        f"register_payment one by one on {connection.vendor}: {len(open_invoices)} payments "
        f"in {seconds:.1f} s = {len(open_invoices) / seconds:.0f} payments/s"
    )


if __name__ == "__main__":
    main()
