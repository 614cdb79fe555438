"""The run issues a batch at once (issue_invoices_bulk): the same invoices as one by one,
a constant number of queries per batch, and a write that fails takes back only its invoice."""

import datetime

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from balcao.billing.models import EstimateAdjustment, Invoice, InvoiceSeries
from balcao.billing.services import invoices as invoices_module
from balcao.billing.services.billing_run import (
    BillingError,
    Tariffs,
    bill_contract,
    load_batch,
    run_billing,
)
from balcao.billing.tests.factories import demo_tariff
from balcao.contracts.tests.factories import ContractFactory
from balcao.readings.models import Reading, ReadingEvent
from balcao.readings.tests.factories import ReadingFactory
from tests.test_billing_concurrency import chain_is_valid

pytestmark = pytest.mark.django_db

MAY, JUNE, JULY = datetime.date(2026, 5, 1), datetime.date(2026, 6, 1), datetime.date(2026, 7, 1)
ISSUED = {MAY: datetime.date(2026, 6, 9), JUNE: datetime.date(2026, 7, 9)}
JULY_ISSUED = datetime.date(2026, 8, 10)


def read(contract, day, index):
    return ReadingFactory(installation=contract.installation, taken_on=day, index=index)


def utility():
    """Contracts of every kind: estimated twice then read (an acerto up and one down), read
    every month, never read, and one without a tariff (it fails)."""
    demo_tariff()
    contracts = [ContractFactory() for _ in range(6)]
    for number, contract in enumerate(contracts):
        read(contract, datetime.date(2026, 3, 31), 1000)
        read(contract, datetime.date(2026, 4, 30), 1010)
        if number in (2, 3):
            read(contract, datetime.date(2026, 5, 31), 1021)
            read(contract, datetime.date(2026, 6, 30), 1030)
    contracts.append(ContractFactory(tariff_type="non_domestic"))  # no tariff loaded
    for month in (MAY, JUNE):
        run_billing(month=month, issue_date=ISSUED[month])
    read(contracts[0], datetime.date(2026, 7, 31), 1060)  # more than estimated: acerto up
    read(contracts[1], datetime.date(2026, 7, 31), 1025)  # less: acerto down
    read(contracts[2], datetime.date(2026, 7, 31), 1041)
    return contracts


def snapshot(since):
    """What July's invoices are, to the last line: numbers, totals, hashes, lines, the
    readings they used and the readings' events, the acertos."""
    invoices = Invoice.objects.filter(sequence__gt=since).order_by("sequence")
    return [
        (
            invoice.contract_id,
            invoice.number,
            invoice.atcud,
            invoice.hash,
            invoice.system_entry_at,
            invoice.water_volume,
            invoice.estimated,
            (invoice.net_total, invoice.vat_total, invoice.gross_total),
            invoice.adjustment_note,
            invoice.prescription_note,
            list(
                invoice.lines.values_list(
                    "position", "service", "kind", "band", "description", "quantity", "amount"
                )
            ),
            sorted(
                (r.taken_on, r.index, r.origin, r.status, r.invoice_number)
                for r in invoice.readings.all()
            ),
            sorted(
                ReadingEvent.objects.filter(reading__invoices=invoice).values_list("kind", "note")
            ),
            list(
                EstimateAdjustment.objects.filter(invoice=invoice).values_list(
                    "estimated_invoice__number", "real_volume", "amount", "prescribed"
                )
            ),
            list(invoice.events.values_list("kind", flat=True)),
        )
        for invoice in invoices
    ]


@time_machine.travel("2026-08-10 09:00:00+00:00", tick=False)
def test_the_run_issues_the_same_invoices_as_one_by_one():
    contracts = utility()
    since = InvoiceSeries.objects.get(document_type="FT").last_number

    with transaction.atomic():
        counts = run_billing(month=JULY, issue_date=JULY_ISSUED)
        in_batch = snapshot(since)
        transaction.set_rollback(True)

    batch, tariffs = load_batch([c.pk for c in contracts], JULY), Tariffs()
    failed = 0
    for contract in batch.contracts:
        try:
            bill_contract(
                contract, month=JULY, issue_date=JULY_ISSUED, batch=batch, tariffs=tariffs
            )
        except BillingError:
            failed += 1
    one_by_one = snapshot(since)

    assert (counts.issued, counts.failed, failed) == (6, 1, 1)
    assert in_batch == one_by_one
    kinds = {line[2] for invoice in in_batch for line in invoice[10]}
    assert "adjustment" in kinds  # the acertos are in the comparison
    assert any(invoice[6] for invoice in in_batch)  # and an estimate
    documents = list(Invoice.objects.order_by("sequence"))
    assert [d.sequence for d in documents] == list(range(1, len(documents) + 1))
    assert chain_is_valid(documents)


def month_of(count):
    demo_tariff()
    for number in range(count):
        contract = ContractFactory()
        read(contract, datetime.date(2026, 3, 31), 1000)
        read(contract, datetime.date(2026, 4, 30), 1010)
        if number % 2:  # half read, half estimated
            read(contract, datetime.date(2026, 5, 31), 1021)


def queries_to_bill(count):
    """The statements of a run of one batch of ``count`` contracts (then taken back):
    (INSERTs, the others)."""
    with transaction.atomic():
        month_of(count)
        with CaptureQueriesContext(connection) as queries:
            counts = run_billing(month=MAY, issue_date=ISSUED[MAY], batch_size=100)
        assert (counts.issued, counts.failed) == (count, 0)
        transaction.set_rollback(True)
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    return len(inserts), len(queries) - len(inserts)


def test_a_batch_costs_the_same_queries_for_4_invoices_as_for_40():
    few_inserts, few_others = queries_to_bill(4)
    many_inserts, many_others = queries_to_bill(40)

    assert many_others == few_others <= 35
    # One INSERT per table, but SQLite takes at most 999 parameters in a statement:
    # 36 invoices more, about 20 rows of up to 12 columns each, may split them. (On
    # PostgreSQL the rows nobody reads back go by COPY, one per table, not listed here.)
    limit = connection.features.max_query_params
    split = 0 if limit is None else 36 * 20 * 12 // limit
    assert few_inserts <= 10 and many_inserts <= few_inserts + split


def test_an_invoice_that_cannot_be_written_takes_back_only_itself(monkeypatch):
    month_of(4)
    real_line_rows = invoices_module._line_rows

    def broken_for_the_third(lines):
        rows = real_line_rows(lines)
        broken_for_the_third.calls += 1
        if broken_for_the_third.calls == 3:
            # a rate and an exemption: the database refuses the line
            rows[0] = rows[0]._replace(exemption_code="M99")
        return rows

    broken_for_the_third.calls = 0
    monkeypatch.setattr(invoices_module, "_line_rows", broken_for_the_third)

    counts = run_billing(month=MAY, issue_date=ISSUED[MAY])

    assert (counts.issued, counts.failed) == (3, 1)
    documents = list(Invoice.objects.order_by("sequence"))
    assert [d.sequence for d in documents] == [1, 2, 3]
    assert chain_is_valid(documents)
    assert InvoiceSeries.objects.get(document_type="FT").last_number == 3
    # the failed invoice's estimate is not stored, and its readings are still to be used
    assert Reading.objects.filter(origin="estimate").count() == 1
    assert Reading.objects.filter(status="invoiced").count() == 3 + 3 + 3
    assert Reading.objects.filter(status="billable").count() == 2
