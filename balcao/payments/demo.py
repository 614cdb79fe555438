"""The demo's payments: the personas' invoice history paid through ``register_payment``, each
payment with its receipt (RG), as they would have arrived: "Loja" by direct debit on the due
date, "Casa" and the others mostly by Multibanco, now and then at the counter.

billing's demo leaves every invoice open; this pays all but each contract's latest, so ana's
"Casa" still shows its last invoice unpaid with the Multibanco reference on Início, and
"Loja" its last one to be debited. Receipts are numbered in the order the money arrived
(a series never goes back in time).
"""

import datetime
import random

from django.db.models import Max
from django.utils import timezone

from balcao.billing.demo import BILLED_CONTRACTS
from balcao.billing.models import DocumentType, Invoice
from balcao.payments.models import COUNTER_METHODS, PaymentMethod
from balcao.payments.services.receipts import register_payment, settle_in_full

# One payment in ten is made at the counter (cash, card, transfer), the rest by Multibanco.
COUNTER_SHARE = 0.1


def _payment_of(invoice: Invoice, rng: random.Random, today: datetime.date):
    """(paid on, method, source, transaction id) of one demo invoice."""
    due = invoice.due_date or invoice.issue_date + datetime.timedelta(days=20)
    if invoice.account.direct_debit:
        paid_on = due
        method, source = PaymentMethod.DIRECT_DEBIT, f"Débito direto de {due:%d/%m/%Y}"
        transaction_id = f"SEPA-{invoice.number}"
    elif rng.random() < COUNTER_SHARE:
        paid_on = invoice.issue_date + datetime.timedelta(days=rng.randint(2, 18))
        method, source, transaction_id = rng.choice(COUNTER_METHODS), "Balcão", ""
    else:
        paid_on = invoice.issue_date + datetime.timedelta(days=rng.randint(1, 18))
        method, source = PaymentMethod.MULTIBANCO, "Multibanco (demonstração)"
        transaction_id = f"MB-{invoice.number}"
    return min(paid_on, due, today), method, source, transaction_id


# The invoices later demos tell a story about stay unpaid (places before each contract's
# latest): ana's Casa contests its 2nd latest and pays its 3rd latest in instalments, bruno's
# 3rd latest is overdue with its reminder (demo_dunning); Loja's latest already due is
# debited and returned by the bank (demo_sepa).
STORY_INVOICES = {"600001": (1, 2), "600003": (2,)}
RETURNED_DEBIT_CONTRACT = "600002"


def _story_invoices(invoices, today: datetime.date) -> set[int]:
    kept: set[int] = set(
        invoices.filter(contract__contract_number=RETURNED_DEBIT_CONTRACT, due_date__lt=today)
        .order_by("-due_date")
        .values_list("pk", flat=True)[:1]
    )
    for contract_number, places in STORY_INVOICES.items():
        pks = list(
            invoices.filter(contract__contract_number=contract_number)
            .order_by("-period_start")
            .values_list("pk", flat=True)
        )
        kept.update(pks[place] for place in places if place < len(pks))
    return kept


def pay_history(*, rng: random.Random, today: datetime.date) -> int:
    """Pay every open invoice of the billed personas but each contract's latest; returns
    how many payments (each with its receipt) were registered."""
    invoices = Invoice.objects.filter(
        contract__contract_number__in=BILLED_CONTRACTS,
        document_type=DocumentType.INVOICE,
        status=Invoice.Status.ISSUED,
    ).select_related("account")
    latest = dict(
        invoices.values("contract_id")
        .annotate(latest=Max("period_start"))
        .values_list("contract_id", "latest")
    )
    left_open = _story_invoices(invoices, today)
    to_pay = [
        invoice
        for invoice in invoices
        if invoice.period_start != latest[invoice.contract_id] and invoice.pk not in left_open
    ]
    planned = sorted(
        ((*_payment_of(invoice, rng, today), invoice) for invoice in to_pay),
        key=lambda row: (row[0], row[4].pk),
    )
    for paid_on, method, source, transaction_id, invoice in planned:
        moment = datetime.datetime.combine(paid_on, datetime.time(9 + rng.randint(0, 8)))
        register_payment(
            account=invoice.account,
            method=method,
            paid_at=timezone.make_aware(moment),
            amount=invoice.gross_total,
            allocations=settle_in_full([invoice]),
            source=source,
            transaction_id=transaction_id,
            issue_date=paid_on,
        )
    return len(planned)


def seed(*, rng: random.Random, today: datetime.date, stdout) -> None:
    payments = pay_history(rng=rng, today=today)
    stdout.write(f"  pagamentos: {payments}, cada um com o seu recibo")
