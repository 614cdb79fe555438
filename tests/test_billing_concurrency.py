"""Invoice numbers stay gapless under concurrent billing workers (DOMAIN.md "Invoices").

8 threads, each with its own database connection, issue invoices over one series at once;
some of them fail mid-way (after taking a number and signing) and roll back. The series
must end with numbers 1..n, no gap, no duplicate, each hash chained to the one before.
Runs on PostgreSQL (the series row is locked with SELECT … FOR UPDATE) and on SQLite
(IMMEDIATE transactions queue the writers).
"""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from balcao.billing import signature
from balcao.billing.computation import compute_bill
from balcao.billing.models import Invoice, InvoiceSeries
from balcao.billing.services.invoices import issue_credit_note, issue_invoice, series_for
from balcao.billing.services.tariffs import save_tariff
from balcao.billing.tariff_file import read_tariff_file
from balcao.contracts.tests.factories import ContractFactory
from tests.test_concurrency import run_together

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 8
PER_WORKER = 4
START, END = datetime.date(2026, 10, 1), datetime.date(2026, 10, 30)


class Interrupted(Exception):
    pass


@pytest.fixture
def tariff(settings):
    tariffs, _ = read_tariff_file(settings.BASE_DIR / "data" / "tariffs" / "demo.toml")
    return save_tariff(tariffs[0])


def chain_is_valid(documents):
    public_key = signature.private_key().public_key()
    previous = ""
    for document in documents:
        message = signature.signing_message(
            invoice_date=document.issue_date,
            system_entry=timezone.localtime(document.system_entry_at),
            number=document.number,
            gross_total=document.gross_total,
            previous_hash=previous,
        )
        if not signature.verify(message, document.hash, public_key):
            return False
        previous = document.hash
    return True


def test_concurrent_workers_leave_no_gap_and_no_duplicate(tariff):
    contracts = [ContractFactory() for _ in range(WORKERS * PER_WORKER)]
    series_for("FT")  # the series exists before the workers start, as in production
    computation = compute_bill(tariff.to_data(), water_volume=Decimal("10"), days=30)

    def worker(i):
        issued = 0
        for n in range(PER_WORKER):
            contract = contracts[i * PER_WORKER + n]
            try:
                with transaction.atomic():
                    issue_invoice(
                        contract=contract,
                        period_start=START,
                        period_end=END,
                        tariff=tariff,
                        computation=computation,
                    )
                    if n == 1:  # a failure after numbering and signing: all rolled back
                        raise Interrupted
                issued += 1
            except Interrupted:
                pass
        return issued

    results, errors = run_together(WORKERS, worker)

    assert not errors, errors
    expected = WORKERS * (PER_WORKER - 1)
    assert sum(results) == expected
    documents = list(Invoice.objects.filter(document_type="FT").order_by("sequence"))
    assert [d.sequence for d in documents] == list(range(1, expected + 1))
    assert len({d.number for d in documents}) == expected
    assert len({d.contract_id for d in documents}) == expected
    series = InvoiceSeries.objects.get(document_type="FT")
    assert series.last_number == expected and series.last_hash == documents[-1].hash
    assert chain_is_valid(documents)


def test_concurrent_credit_notes_of_one_invoice_issue_one(tariff):
    computation = compute_bill(tariff.to_data(), water_volume=Decimal("10"), days=30)
    invoice = issue_invoice(
        contract=ContractFactory(), period_start=START, period_end=END,
        tariff=tariff, computation=computation,
    )  # fmt: skip
    series_for("NC")

    results, errors = run_together(
        4, lambda i: issue_credit_note(invoice=invoice, reason="Erro de leitura.").number
    )

    # one credit note; the others found the invoice cancelled already
    notes = list(Invoice.objects.filter(document_type="NC"))
    assert [note.number for note in notes] == ["NC 2026A/1"]
    assert len(errors) == 3, errors
    assert chain_is_valid(notes)
