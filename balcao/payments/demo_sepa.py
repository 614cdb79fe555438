"""The demo's direct debits: ana's "Loja" (billing account on direct debit) had its last
invoice already due sent to the bank in a pain.008 file for that due date, and the bank
returned it for insufficient funds (AM04): the invoice is "Por pagar" with a Multibanco
reference and a new due date, and Início shows the alert.

Payments' demo pays the history but each contract's latest; this latest one tells the
direct debit story instead (collected, returned), through the real services and files.
"""

import datetime
import random

from balcao.billing.demo import LOJA
from balcao.billing.models import DocumentType, Invoice
from balcao.payments.bank_files import BankOutcome, pain002_report
from balcao.payments.services.bank_returns import import_returns
from balcao.payments.services.direct_debit import collect_due_invoices


def seed(*, rng: random.Random, today: datetime.date, stdout) -> None:
    invoice = (
        Invoice.objects.filter(
            contract__contract_number=LOJA,
            account__direct_debit=True,
            document_type=DocumentType.INVOICE,
            due_date__lt=today,
        )
        .exclude(status=Invoice.Status.CANCELLED)
        .order_by("-due_date")
        .first()
    )
    if invoice is None or invoice.due_date is None:
        return
    if invoice.status != Invoice.Status.ISSUED:
        return  # paid by another demo: nothing to tell here
    due_date = invoice.due_date
    batch = collect_due_invoices(due_date=due_date)
    returned_on = due_date + datetime.timedelta(days=2)
    report = pain002_report(
        message_id=f"DEMO-RPT-{invoice.due_date:%Y%m%d}",
        original_message_id=batch.message_id,
        outcomes=[
            BankOutcome(
                end_to_end_id=invoice.number,
                settled=False,
                reason_code="AM04",
                on=min(returned_on, today),
                amount=invoice.gross_total,
            )
        ],
    )
    # Imported as the clerk's upload would (kept as a BankReturnFile, shown in the admin).
    _returns_file, counts = import_returns(
        name=f"pain002-demo-{invoice.due_date:%Y%m%d}.xml", data=report
    )
    stdout.write(
        f"Débitos diretos: ficheiro de {invoice.due_date:%d/%m/%Y} ({batch.collections_count} "
        f"débito), {counts.returned} devolvido (AM04): {invoice.number}"
    )
