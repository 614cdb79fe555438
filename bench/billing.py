"""The billing run's throughput: invoices per second for one month of a generated utility.

Usage: `make bench-billing` (or `DEBUG=1 .venv/bin/python bench/billing.py --contracts 10000`;
with `DATABASE_URL=postgres://…` on PostgreSQL: the database is migrated and filled, use a
throw-away one). Generates N domestic contracts with meters and company readings (half of
them read at the end of the month, the others billed on an estimate), then times
`run_billing` for October 2026 without PDFs (BILLING_RENDER_PDF=False, and tasks on the
dummy backend) and prints invoices per second (wall clock), the queries per invoice (on
PostgreSQL the COPY of lines, events and links, a few per batch, is not counted) and the
CPU time of this process and of the database's backend (PostgreSQL on this machine), the
steadier measure on a shared machine.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def generate(count: int) -> None:
    from balcao.billing.demo import load_demo_tariffs
    from balcao.contracts.models import BillingAccount, Contract, Customer, Installation, Meter
    from balcao.core.models import Address
    from balcao.core.territory import ensure_territory
    from balcao.readings.models import Reading

    load_demo_tariffs()
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
    customers = Customer.objects.bulk_create(
        Customer(
            customer_number=f"{1000000 + n}",
            name=f"Cliente {n}",
            nif="123456789",
            correspondence_address=address,
        )
        for n in range(count)
    )
    accounts = BillingAccount.objects.bulk_create(
        BillingAccount(account_number=f"{3000000 + n}", customer=c, billing_address=address)
        for n, c in enumerate(customers)
    )
    installations = Installation.objects.bulk_create(
        Installation(cil=f"{4000000 + n}", address=address) for n in range(count)
    )
    meters = Meter.objects.bulk_create(
        Meter(serial=f"B{n}", installation=i, installed_on=datetime.date(2020, 1, 1))
        for n, i in enumerate(installations)
    )
    Contract.objects.bulk_create(
        Contract(
            contract_number=f"{8000000 + n}",
            customer=customers[n],
            account=accounts[n],
            installation=installations[n],
            product=Contract.Product.WATER_SANITATION_WASTE,
            start_date=datetime.date(2020, 1, 1),
        )
        for n in range(count)
    )
    readings = []
    for n, meter in enumerate(meters):
        base = 100 + n % 50
        days = [(datetime.date(2026, 4, 20), base), (datetime.date(2026, 9, 30), base + 40)]
        if n % 2:
            days.append((datetime.date(2026, 10, 31), base + 48 + n % 7))
        for day, index in days:
            readings.append(
                Reading(
                    installation_id=meter.installation_id,
                    meter=meter,
                    taken_on=day,
                    index=index,
                    origin=Reading.Origin.COMPANY,
                    status=Reading.Status.BILLABLE if day.month == 10 else Reading.Status.INVOICED,
                )
            )
    Reading.objects.bulk_create(readings, batch_size=5000)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=10_000)
    args = parser.parse_args()

    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="balcao-bench-billing-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balcao.settings")
    os.environ["BILLING_RENDER_PDF"] = "0"
    import django
    from django.conf import settings

    django.setup()
    # No PDF in this measure: the setting bill-docs' issuing hook reads, and no task runs.
    settings.BILLING_RENDER_PDF = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.DEBUG = False  # DEBUG=1 only to start without a SECRET_KEY: no query log
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("create_signing_key", verbosity=0)
    from balcao.billing.models import Invoice
    from balcao.billing.services.billing_run import run_billing

    if Invoice.objects.exists():
        sys.exit("The database has invoices already: use a fresh one.")
    started = time.perf_counter()
    generate(args.contracts)
    print(f"{args.contracts} contracts generated in {time.perf_counter() - started:.1f} s")

    executed = [0]

    def count(execute, sql, params, many, context):
        executed[0] += 1
        return execute(sql, params, many, context)

    server = _server_process()
    started, cpu, server_cpu = time.perf_counter(), time.process_time(), _cpu_of(server)
    with connection.execute_wrapper(count):
        counts = run_billing(
            month=datetime.date(2026, 10, 1), issue_date=datetime.date(2026, 11, 2)
        )
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    server_cpu = _cpu_of(server) - server_cpu
    queries = executed[0]
    print(
        f"run_billing 2026-10 on {connection.vendor}: {counts.issued} invoices in {seconds:.1f} s"
        f" = {counts.issued / seconds:.0f} invoices/s (wall), {queries / max(counts.issued, 1):.1f}"
        f" queries per invoice ({counts.failed} failures)"
    )
    # The machine may be shared: CPU time is the steadier measure. On SQLite the database
    # works inside this process; on PostgreSQL its backend's share is read from /proc.
    total = cpu + server_cpu
    print(
        f"CPU: this process {cpu:.1f} s, the database's backend {server_cpu:.1f} s"
        f" = {counts.issued / total:.0f} invoices per CPU second"
    )


def _server_process() -> int | None:
    """The PostgreSQL backend serving this connection (None on SQLite, or another host)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def _cpu_of(pid: int | None) -> float:
    """User + system CPU seconds of a local process (0 when unknown)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    main()
