"""Generate a utility of N contracts for the benchmark, streamed in batches (issue 14).

Usage (DJANGO_SETTINGS_MODULE=bench.settings, DATABASE_URL set, migrated, seed_demo run):
    python bench/generate.py --contracts 100000 --readings 6 --customers 20

Each batch (5,000 contracts) is its own transaction: addresses, customers, accounts,
installations, meters, contracts and their company readings, so memory stays flat and
nothing holds one huge transaction. Then N portal customers (bench00, bench01, …; the
demo password, balcao/accounts/demo.py), each with 3 contracts, signed in by bench/run.py,
and a year of invoices on those contracts (bench/invoices.py: the billing run's batch path),
for Minhas faturas and an invoice's page.
"""

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

BATCH = 5000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--readings", type=int, default=6, help="company readings per contract")
    parser.add_argument("--customers", type=int, default=20, help="portal users to sign in")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from balcao.accounts.demo import demo_user
    from balcao.accounts.models import User
    from balcao.contracts.models import (
        BillingAccount,
        Contract,
        Customer,
        Installation,
        Meter,
        Subscription,
    )
    from balcao.core.models import Address, Municipality
    from balcao.readings.models import Reading

    rng = random.Random(14)
    leiria = Municipality.objects.get(name="Leiria")
    parishes = list(leiria.parishes.filter(valid_to__isnull=True))
    today = timezone.localdate()
    started = time.perf_counter()
    first_contract = None
    for offset in range(0, args.contracts, BATCH):
        size = min(BATCH, args.contracts - offset)
        with transaction.atomic():
            addresses = []
            for _ in range(size * 3):
                parish = rng.choice(parishes)
                addresses.append(
                    Address(
                        street="Rua do Benchmark",
                        door=str(rng.randint(1, 240)),
                        postal_code=f"2400-{rng.randint(1, 999):03d}",
                        postal_locality="LEIRIA",
                        district=leiria.district,
                        municipality=leiria,
                        parish=parish,
                        locality=parish.name,
                    )
                )
            Address.objects.bulk_create(addresses)
            customers = Customer.objects.bulk_create(
                Customer(
                    customer_number=f"B{offset + i:07d}",
                    name="Cliente de Ensaio",
                    nif="123456789",
                    email="",
                    correspondence_address=addresses[3 * i],
                )
                for i in range(size)
            )
            accounts = BillingAccount.objects.bulk_create(
                BillingAccount(
                    account_number=f"B{offset + i:07d}",
                    customer=customers[i],
                    billing_address=addresses[3 * i + 1],
                )
                for i in range(size)
            )
            installations = Installation.objects.bulk_create(
                Installation(cil=f"B{offset + i:09d}", address=addresses[3 * i + 2])
                for i in range(size)
            )
            start = today.replace(day=1) - datetime.timedelta(days=30 * 4 * args.readings + 60)
            meters = Meter.objects.bulk_create(
                Meter(
                    serial=f"BEN{offset + i:08d}",
                    calibre_mm=15,
                    installation=installations[i],
                    installed_on=start,
                    initial_index=0,
                )
                for i in range(size)
            )
            contracts = Contract.objects.bulk_create(
                Contract(
                    contract_number=f"B{offset + i:07d}",
                    customer=customers[i],
                    account=accounts[i],
                    installation=installations[i],
                    product=Contract.Product.WATER_SANITATION_WASTE,
                    tariff_type=Contract.TariffType.DOMESTIC,
                    start_date=start,
                )
                for i in range(size)
            )
            first_contract = first_contract or contracts[0]
            readings = []
            for i in range(size):
                index = 0
                for k in range(1, args.readings + 1):
                    index += rng.randint(20, 60)
                    readings.append(
                        Reading(
                            installation=installations[i],
                            meter=meters[i],
                            taken_on=start + datetime.timedelta(days=120 * k),
                            index=index,
                            origin=Reading.Origin.COMPANY,
                            status=Reading.Status.BILLABLE,
                        )
                    )
            Reading.objects.bulk_create(readings, batch_size=BATCH)
        done = offset + size
        print(f"  {done} contracts, {time.perf_counter() - started:.0f} s", flush=True)

    contracts = list(Contract.objects.order_by("pk").filter(contract_number__startswith="B"))
    subscribed = []
    for n in range(args.customers):
        user = User.objects.filter(username=f"bench{n:02d}").first() or demo_user(
            f"bench{n:02d}", email=f"bench{n:02d}@example.pt", first_name="Ensaio", last_name=""
        )
        for j in range(3):
            contract = contracts[rng.randrange(len(contracts))]
            Subscription.objects.get_or_create(
                user=user,
                contract=contract,
                defaults={
                    "cil": contract.installation.cil,
                    "customer_number": contract.customer.customer_number,
                    "account_number": contract.account.account_number,
                    "custom_name": f"Contrato {j + 1}",
                    "status": Subscription.Status.ACTIVE,
                    "activated_at": timezone.now(),
                },
            )
            subscribed.append(contract.pk)
    from bench.invoices import bill_contracts

    issued = bill_contracts(subscribed, months=12, today=today)
    print(f"  {issued} invoices for the customers' contracts")
    # Statistics, as autovacuum keeps them in production: without them PostgreSQL plans
    # the pages' queries for empty tables (a reading history took 15 ms instead of 0.05).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    print(f"generated {args.contracts} contracts, {args.customers} customers in {seconds:.0f} s")


if __name__ == "__main__":
    main()
