"""Invoices for the benchmark's customers: their contracts billed month by month, with the
billing run's batch path (load_batch, bill_contract into an IssueBatch, issue_invoices_bulk),
so that Minhas faturas and an invoice's page have documents to show.

Only the given contracts are billed (the customers' few, not the 10⁵ of the generated
utility): the run's own selection (contracts_to_bill) would bill them all. PDFs are not
rendered (BILLING_RENDER_PDF off for the call): the pages read the database only. They are
numbered in a series of their own (ENSAIO): the demo's history has already dated the
settings' series up to last month, and a series' dates only go forward.
"""

import datetime
from collections.abc import Sequence

SERIES = "ENSAIO"


def bill_contracts(pks: Sequence[int], *, months: int, today: datetime.date) -> int:
    """Bill ``months`` past months of the contracts ``pks``, oldest first; every invoice but
    each contract's latest marked paid (as the demo's history). Returns the invoices issued."""
    from django.db import transaction
    from django.test.utils import override_settings

    from balcao.billing.models import DocumentType, Invoice, InvoiceSeries
    from balcao.billing.services.billing_run import (
        Tariffs,
        bill_contract,
        load_batch,
        month_bounds,
    )
    from balcao.billing.services.invoices import IssueBatch, issue_invoices_bulk
    from balcao.core.transitions import transition

    tariffs = Tariffs()
    cursor = month_bounds(today)[0]
    chosen = []
    for _ in range(months):
        cursor = (cursor - datetime.timedelta(days=1)).replace(day=1)
        chosen.append(cursor)
    issued = 0
    with override_settings(BILLING_RENDER_PDF=False):
        # A validation code of its own (the ATCUD is unique across series).
        series_pk = InvoiceSeries.objects.get_or_create(
            document_type=DocumentType.INVOICE,
            code=SERIES,
            defaults={"validation_code": "ENSAIO00"},
        )[0].pk
        for month in reversed(chosen):
            issue_date = month_bounds(month)[1] + datetime.timedelta(days=9)
            with transaction.atomic():
                InvoiceSeries.objects.select_for_update().filter(pk=series_pk).first()
                batch = load_batch(pks, month, taken_until=issue_date)
                drafts = IssueBatch()
                for contract in batch.contracts:
                    if contract.start_date > month_bounds(month)[1]:
                        continue
                    bill_contract(
                        contract,
                        month=month,
                        issue_date=issue_date,
                        batch=batch,
                        tariffs=tariffs,
                        series_locked=True,
                        into=drafts,
                    )
                done, failed = issue_invoices_bulk(drafts, series_code=SERIES)
                assert not failed, failed
                issued += len(done)
        open_invoices = Invoice.objects.filter(
            contract_id__in=pks, document_type=DocumentType.INVOICE, status=Invoice.Status.ISSUED
        ).order_by("period_start")
        latest = {invoice.contract_id: invoice.pk for invoice in open_invoices}
        for invoice in open_invoices.exclude(pk__in=latest.values()):
            transition(invoice, Invoice.Status.PAID, note="Pagamento (ensaio)")
    return issued
