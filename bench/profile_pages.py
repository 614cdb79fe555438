"""CPU time per request of every customer page, in-process (issue 14's follow-up).

Wall-clock benchmarks (bench/run.py) are distorted when other work shares the cores; the CPU
time one request costs this process is not, much. With the production settings (DEBUG=0, the
cached template loader, PostgreSQL with a persistent connection, Redis cache and cached_db
sessions: bench/settings.py), one generated customer (3 contracts, 2 years of readings, service
requests, notices) signed in through the test Client, each page is requested --warmup times,
then --requests times under time.process_time(); the bare view /bench/bare (same middleware and
login) is the baseline. Prints CPU ms per request, the ratio page/baseline (the share of the
baseline's throughput a CPU-bound server would give the page), the queries of one request, and
logins per CPU-second (authenticate() alone and the login form's POST).

Usage (PostgreSQL and Redis running):
    .venv/bin/python bench/profile_pages.py [--requests 200] [--skip-setup]
        [--profile "Início,reading history"]   # pyinstrument text profile of those pages
        [--only invoice] [--explain 50]   # just those pages; their longest query's planning
Environment: PROFILE_DATABASE_URL (postgres://postgres@127.0.0.1:5432/balcao_perfbench, dropped
and created anew unless --skip-setup), PROFILE_REDIS_URL (redis://127.0.0.1:6379/15, flushed).
"""

import argparse
import datetime
import functools
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "Leiria-2026!"  # balcao/accounts/demo.py and the test factories
USERNAME = "perfil"

ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": os.environ.get(
        "PROFILE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/balcao_perfbench"
    ),
    "REDIS_URL": os.environ.get("PROFILE_REDIS_URL", "redis://127.0.0.1:6379/15"),
    "DEBUG": "0",
    "SECRET_KEY": "profile-pages-not-a-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "testserver,127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "SECURE_HSTS_SECONDS": "0",
    "OTP_REQUIRED_FOR_STAFF": "0",
    "AXES_ADDRESS_FAILURE_LIMIT": "100000",
    "REQUEST_LOG_LEVEL": "WARNING",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    # Its own var/ (the demo's invoice signing key, static files), not the checkout's.
    "VAR_DIR": os.environ.get("PROFILE_VAR_DIR", "/tmp/balcao-profile-var"),
}


def setup_database() -> None:
    """A fresh database: migrations, the demo's master data, then our customer."""
    name = urllib.parse.urlparse(ENV["DATABASE_URL"]).path.lstrip("/")
    env = {**os.environ, **ENV}
    python = sys.executable
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    manage = [python, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    if not (Path(ENV["VAR_DIR"]) / "keys" / "billing-private.pem").exists():
        subprocess.run([*manage, "create_signing_key"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "seed_demo", "--customers", "0"],
        env={**env, "DEBUG": "1"},
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)


def generate_customer() -> None:
    """3 contracts, a reading every month for 2 years on each, 4 requests, 3 notices."""
    from django.utils import timezone

    from balcao.accounts.tests.factories import UserFactory
    from balcao.contracts.tests.factories import (
        BillingAccountFactory,
        ContractFactory,
        CustomerFactory,
        InstallationFactory,
        MeterFactory,
        SubscriptionFactory,
    )
    from balcao.notices.models import Notice
    from balcao.notices.tests.factories import NoticeFactory
    from balcao.readings.models import Reading
    from balcao.service_requests import services
    from balcao.service_requests.models import Channel, RequestType

    # Sequences far from the demo's numbers (the factories add 100000 and more to them).
    for factory_class in (
        CustomerFactory,
        BillingAccountFactory,
        InstallationFactory,
        MeterFactory,
        ContractFactory,
    ):
        factory_class.reset_sequence(9_000_000)
    user = UserFactory(username=USERNAME, email=f"{USERNAME}@example.pt")
    today = timezone.localdate()
    start = today.replace(day=1) - datetime.timedelta(days=2 * 365 + 31)
    contracts = []
    for i in range(3):
        subscription = SubscriptionFactory(
            user=user, custom_name=f"Contrato {i + 1}", contract__start_date=start
        )
        contract = subscription.contract
        contracts.append(contract)
        meter = contract.installation.meters.get()
        index = 0
        readings = []
        for month in range(1, 25):
            index += 8 + (month * 7 + i) % 9
            readings.append(
                Reading(
                    installation=contract.installation,
                    meter=meter,
                    taken_on=start + datetime.timedelta(days=30 * month),
                    index=index,
                    origin=Reading.Origin.COMPANY if month % 2 else Reading.Origin.CUSTOMER,
                    status=Reading.Status.BILLABLE,
                )
            )
        Reading.objects.bulk_create(readings)
    for i in range(4):
        services.submit_request(
            user=user,
            request_type=RequestType.INFORMATION,
            contract=contracts[i % 3] if i else None,
            channel=Channel.EMAIL,
            contact_value=user.email,
            description=f"Pergunta número {i + 1} sobre o serviço.",
        )
    NoticeFactory(audience=Notice.Audience.EVERYONE)
    NoticeFactory(audience=Notice.Audience.CONTRACTS, contracts=[contracts[0]])
    NoticeFactory(audience=Notice.Audience.CONTRACTS, contracts=[contracts[1], contracts[2]])
    # A year of invoices on each contract (the billing run's batch path): Minhas faturas and
    # an invoice's page have documents to show.
    from bench.invoices import bill_contracts

    bill_contracts([c.pk for c in contracts], months=12, today=today)


def pages(contract_number: str, invoice_number: str) -> dict[str, str]:
    from django.urls import reverse

    return {
        "baseline (bare view)": "/bench/bare",
        "Início": reverse("portal:home"),
        "contracts list": reverse("contracts:list"),
        "contract detail": reverse("contracts:detail", args=[contract_number]),
        "Comunicar leituras": reverse("readings:submit", args=[contract_number]),
        "reading history": reverse("readings:history", args=[contract_number]),
        "consumption": reverse("readings:consumption", args=[contract_number]),
        "Meus pedidos": reverse("service_requests:list"),
        "profile": reverse("accounts:profile"),
        "Minhas faturas": reverse("portal:invoices"),
        "invoice": reverse("billing:invoice", args=[invoice_number]),
    }


def cpu_ms(client, path: str, n: int, blocks: int = 10) -> tuple[float, float]:
    """CPU ms per request over n requests in `blocks` blocks: (best block, median block).

    Other processes on the same cores still slow this one a little (shared caches, frequency):
    the best block is the least disturbed, the median says how much the rest varied.
    """
    size = max(1, n // blocks)
    per_block = []
    for _ in range(blocks):
        started = time.process_time()
        for _ in range(size):
            response = client.get(path)
        per_block.append((time.process_time() - started) / size * 1000)
        assert response.status_code == 200, (path, response.status_code)
    per_block.sort()
    return per_block[0], per_block[len(per_block) // 2]


def calls_per_request(client, path: str, n: int = 5) -> int:
    """Python function calls one request makes (cProfile's count): unlike CPU time, the same
    from run to run whatever else the machine is doing, so a change's effect shows even on
    a busy machine (calls are not all equally dear: compare with the CPU column)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        client.get(path)
    profiler.disable()
    return pstats.Stats(profiler).total_calls // n


def explain_analyze(connection, n: int, query: dict) -> tuple[int, float, float]:
    """PostgreSQL's share of a query: (its SQL's length, median planning ms, median execution
    ms) over n EXPLAIN ANALYZE of the SQL as sent (psycopg binds the parameters client-side,
    so the captured SQL is the statement PostgreSQL planned)."""
    planning, execution = [], []
    with connection.cursor() as cursor:
        for _ in range(n):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            planning.append(plan[0]["Planning Time"])
            execution.append(plan[0]["Execution Time"])
    return len(query["sql"]), statistics.median(planning), statistics.median(execution)


def sign_in(client) -> None:
    """Through the login form, as a customer does (a real session in Redis + PostgreSQL)."""
    from django.urls import reverse

    login = reverse("accounts:login")
    client.get(login)
    response = client.post(
        login,
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "username": USERNAME,
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302, response.status_code


def measure_logins(n: int) -> tuple[float, float]:
    """Logins per CPU-second: authenticate() alone, and the login form's POST."""
    from django.contrib.auth import authenticate
    from django.test import Client, RequestFactory

    request = RequestFactory().post("/conta/entrar/")
    authenticate(request, username=USERNAME, password=PASSWORD)
    started = time.process_time()
    for _ in range(n):
        assert authenticate(request, username=USERNAME, password=PASSWORD) is not None
    authenticate_rate = n / (time.process_time() - started)

    client = Client()
    sign_in(client)
    started = time.process_time()
    for _ in range(n):
        client.cookies.clear()
        sign_in(client)
    # Each sign_in is a GET of the form plus the POST; the GET is a small page.
    form_rate = n / (time.process_time() - started)
    return authenticate_rate, form_rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--logins", type=int, default=30)
    parser.add_argument("--skip-setup", action="store_true")
    parser.add_argument("--profile", default="", help="comma-separated page names to profile")
    parser.add_argument("--only", default="", help="comma-separated page names to measure")
    parser.add_argument(
        "--explain",
        type=int,
        default=0,
        metavar="N",
        help="EXPLAIN ANALYZE each page's longest query N times: median planning and execution",
    )
    args = parser.parse_args()

    os.environ.update(ENV)
    if not args.skip_setup:
        setup_database()
    subprocess.run(["redis-cli", "-u", ENV["REDIS_URL"], "flushdb"], check=True, stdout=-3)

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from balcao.accounts.models import User

    # No setup_test_environment(): its instrumented template rendering (the test Client's
    # response.context) would add a cost that production does not pay.
    if not User.objects.filter(username=USERNAME).exists():
        generate_customer()
    user = User.objects.get(username=USERNAME)
    contract_number = (
        user.subscriptions.filter(status="active").order_by("pk")[0].contract.contract_number
    )
    from balcao.billing.models import Invoice

    invoice_number = (
        Invoice.objects.filter(contract__contract_number=contract_number, document_type="FT")
        .latest("issue_date", "pk")
        .number
    )
    client = Client()
    sign_in(client)
    urls = pages(contract_number, invoice_number)
    if args.only:
        wanted = {"baseline (bare view)", *args.only.split(",")}
        urls = {k: v for k, v in urls.items() if k in wanted}

    results = {}
    explained: dict[str, tuple[int, float, float]] = {}
    explain = functools.partial(explain_analyze, connection, args.explain)
    for name, path in urls.items():
        cpu_ms(client, path, args.warmup)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        queries = len(captured.captured_queries)  # before the next request resets the log
        if args.explain:
            explained[name] = explain(max(captured.captured_queries, key=lambda q: len(q["sql"])))
        results[name] = (
            cpu_ms(client, path, args.requests),
            queries,
            calls_per_request(client, path),
        )
    baseline = results["baseline (bare view)"][0][0]
    print(
        f"\nCPU per request, {args.requests} requests in 10 blocks after {args.warmup} of "
        "warm-up; ratio = baseline's CPU / page's CPU (best blocks)"
    )
    base_calls = results["baseline (bare view)"][2]
    print(
        f"{'page':22} {'best ms':>7} {'median':>7} {'ratio':>6} {'queries':>7} "
        f"{'calls':>7} {'ratio':>6}"
    )
    for name, ((best, median), queries, calls) in results.items():
        print(
            f"{name:22} {best:7.2f} {median:7.2f} {baseline / best:6.0%} {queries:7d} "
            f"{calls:7d} {base_calls / calls:6.0%}"
        )

    if explained:
        print(f"\nEach page's longest query, EXPLAIN ANALYZE x{args.explain} (median ms)")
        print(f"{'page':22} {'SQL chars':>9} {'planning':>8} {'execution':>9}")
        for name, (chars, planning, execution) in explained.items():
            print(f"{name:22} {chars:9d} {planning:8.2f} {execution:9.2f}")

    if args.logins:
        authenticate_rate, form_rate = measure_logins(args.logins)
        print(
            f"\nlogins per CPU-second: authenticate() {authenticate_rate:.1f}, "
            f"login form (GET + POST) {form_rate:.1f}"
        )

    for name in filter(None, args.profile.split(",")):
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        path = urls[name]
        with profiler:
            for _ in range(args.requests):
                client.get(path)
        print(f"\n===== {name} ({path}) =====")
        print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
