"""Benchmarks: the demo seed and the customer's pages on a demo database.

Usage: `make bench` (or `DEBUG=1 .venv/bin/python bench/run.py --customers 3000`).
Runs on a throw-away SQLite database under a temporary VAR_DIR (or DATABASE_URL if
set), seeds the demo, then requests each page of the customer `ana` N times and prints
the median and 95th percentile time, the query count and the peak memory of the seed.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()

    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="balcao-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balcao.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import NoReverseMatch, reverse

    setup_test_environment()
    call_command("migrate", verbosity=0)
    tracemalloc.start()
    started = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", customers=args.customers, stdout=devnull)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"seed_demo --customers {args.customers}: {seconds:.1f} s, peak {peak / 2**20:.0f} MiB")

    from balcao.accounts.models import User

    ana = User.objects.get(username="ana")
    client = Client()
    client.force_login(ana)
    casa = ana.subscriptions.get(custom_name="Casa").contract.contract_number
    pages = [
        ("portal:home", {}),
        ("contracts:list", {}),
        ("contracts:detail", {"contract_number": casa}),
        ("readings:index", {}),
        ("readings:history", {"contract_number": casa}),
        ("readings:consumption", {"contract_number": casa}),
        ("service_requests:list", {}),
        ("accounts:profile", {}),
    ]
    print(f"{'page':40} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, kwargs in pages:
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
        timings = []
        for _ in range(args.requests):
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                response = client.get(url, follow=True)
                timings.append((time.perf_counter() - begin) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        status = "" if response.status_code == 200 else f" (HTTP {response.status_code})"
        print(
            f"{name + status:40} {statistics.median(timings):10.1f} {p95:8.1f} "
            f"{len(queries.captured_queries):8d}"
        )


if __name__ == "__main__":
    main()
