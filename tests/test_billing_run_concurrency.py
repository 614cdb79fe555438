"""8 billing workers at once over overlapping contract sets (PostgreSQL): every contract is
billed once, and the series has no gap and no duplicate (DOMAIN.md "Invoices")."""

import datetime

import pytest
from django.db import connection

from balcao.billing.models import Invoice, InvoiceSeries
from balcao.billing.services import billing_run as run_module
from balcao.billing.services.billing_run import run_billing
from balcao.billing.services.invoices import series_for
from balcao.billing.tests.factories import demo_tariff
from balcao.contracts.tests.factories import ContractFactory
from tests.test_billing_concurrency import chain_is_valid
from tests.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
    ),
]

WORKERS = 8
CONTRACTS = 40


def test_eight_overlapping_workers_bill_each_contract_once_without_gaps(monkeypatch):
    demo_tariff()
    contracts = [ContractFactory() for _ in range(CONTRACTS)]
    series_for("FT")
    pks = [contract.pk for contract in contracts]

    # worker i bills a window of half the contracts, starting at a different place: every
    # contract is in the sets of several workers at once
    def contracts_for(i):
        start = i * CONTRACTS // WORKERS
        return sorted((pks + pks)[start : start + CONTRACTS // 2])

    chosen = {}
    monkeypatch.setattr(
        run_module,
        "contracts_to_bill",
        lambda month, code=None: chosen[code],
    )
    for i in range(WORKERS):
        chosen[str(i)] = contracts_for(i)

    def worker(i):
        counts = run_billing(
            month=datetime.date(2026, 10, 1),
            municipality_code=str(i),
            issue_date=datetime.date(2026, 11, 2),
            batch_size=7,
        )
        return counts.issued, counts.skipped, counts.failed

    results, errors = run_together(WORKERS, worker)

    assert not errors, errors
    assert sum(failed for _i, _s, failed in results) == 0
    assert sum(issued for issued, _s, _f in results) == CONTRACTS
    documents = list(Invoice.objects.order_by("sequence"))
    assert [d.sequence for d in documents] == list(range(1, CONTRACTS + 1))
    assert sorted(d.contract_id for d in documents) == sorted(pks)
    assert InvoiceSeries.objects.get(document_type="FT").last_number == CONTRACTS
    assert chain_is_valid(documents)
