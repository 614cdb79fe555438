"""Benchmark: milliseconds per kept invoice PDF, and the SAF-T export of the same month.

Usage: `make bench-pdf` (or `DEBUG=1 .venv/bin/python bench/invoice_pdf.py --invoices 500`).
On a throw-away SQLite database under a temporary VAR_DIR (or DATABASE_URL if set): issues
N invoices with the demo tariff (BILLING_RENDER_PDF off, so issuing draws nothing), each with
12 earlier periods for the chart, then keeps each one's PDF as the background task does
(`keep_invoice_pdf`: read, draw, write once, save the field) and prints the median and 95th
percentile, and the drawing alone (`render_sheet` of a prepared sheet). Aim: ≤ 10 ms each.
Last, `export_saft` of the month, validated against the XSD when --validate is given.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _timed(function) -> tuple[float, float]:
    """(wall ms, CPU ms): on a shared machine the CPU time is what the work costs."""
    wall, cpu = time.perf_counter(), time.process_time()
    function()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _percentiles(timings: list[float]) -> str:
    timings = sorted(timings)
    p95 = timings[max(int(len(timings) * 0.95) - 1, 0)]
    return f"median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=300)
    parser.add_argument("--validate", action="store_true", help="validate the SAF-T file")
    args = parser.parse_args()

    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="balcao-bench-pdf-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balcao.settings")
    os.environ["BILLING_RENDER_PDF"] = "0"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("create_signing_key", verbosity=0)

    from balcao.billing.computation import compute_bill
    from balcao.billing.invoice_pdf import render_sheet, sheet_for
    from balcao.billing.models import Invoice
    from balcao.billing.services.invoices import issue_invoice
    from balcao.billing.services.pdfs import keep_invoice_pdf
    from balcao.billing.services.tariffs import save_tariff
    from balcao.billing.tariff_file import read_tariff_file
    from balcao.contracts.tests.factories import ContractFactory

    tariffs, _source = read_tariff_file(ROOT / "data" / "tariffs" / "demo.toml")
    tariff = save_tariff(next(t for t in tariffs if t.tariff_type == "domestic"))
    data = tariff.to_data()
    months = [
        datetime.date(2025, 10 + m, 1) if m < 3 else datetime.date(2026, m - 2, 1)
        for m in range(13)
    ]
    started = time.perf_counter()
    contracts = [ContractFactory() for _ in range(args.invoices)]
    for month in months:
        end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        days = (end - month).days + 1
        for index, contract in enumerate(contracts):
            issue_invoice(
                contract=contract,
                period_start=month,
                period_end=end,
                tariff=tariff,
                computation=compute_bill(data, water_volume=Decimal(5 + index % 20), days=days),
                issue_date=end + datetime.timedelta(days=2),
            )
    print(
        f"issued {len(contracts) * len(months)} invoices in {time.perf_counter() - started:.1f} s"
    )

    latest = list(Invoice.objects.filter(period_start=months[-1]).values_list("pk", flat=True))
    kept = [_timed(lambda pk=pk: keep_invoice_pdf(pk)) for pk in latest]
    print(f"kept PDF (read + draw + write once), {len(kept)} invoices:")
    print(
        f"  wall {_percentiles([w for w, _c in kept])}; CPU {_percentiles([c for _w, c in kept])}"
    )

    sheet = sheet_for(Invoice.objects.get(pk=latest[0]))
    drawn = [_timed(lambda: render_sheet(sheet)) for _ in latest]
    size = len(render_sheet(sheet)) / 1024
    print(f"drawing alone (render_sheet), {size:.1f} KiB each:")
    print(
        f"  wall {_percentiles([w for w, _c in drawn])}; CPU {_percentiles([c for _w, c in drawn])}"
    )

    output = Path(settings.VAR_DIR) / "saft.xml"
    begin = time.perf_counter()
    month = months[-1] + datetime.timedelta(days=32)
    call_command("export_saft", month=f"{month:%Y-%m}", output=str(output), verbosity=0)
    print(
        f"export_saft of {len(latest)} invoices: {time.perf_counter() - begin:.2f} s, "
        f"{output.stat().st_size / 1024:.0f} KiB"
    )
    if args.validate:
        import xmlschema

        begin = time.perf_counter()
        xmlschema.XMLSchema11(str(ROOT / "data" / "saft" / "SAFTPT1.04_01.xsd")).validate(
            str(output)
        )
        print(f"SAF-T valid against SAFTPT1.04_01.xsd ({time.perf_counter() - begin:.1f} s)")


if __name__ == "__main__":
    main()
