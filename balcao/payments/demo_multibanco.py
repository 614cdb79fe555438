"""The demo's Multibanco file, left in ``var/`` for a clerk to import (docs/payments.md
"Multibanco"): ``var/pagamentos-multibanco-demo.csv``.

It pays the latest open invoices of legado's two contracts ("600004", "600005"; bruno's
account is on direct debit), and has the lines a clerk must reconcile: ana's "Casa" paid
with 1,00 € less than its latest invoice (its reference stays on Início until a clerk
matches it by hand or refunds it), a reference nobody has, and ana's "Casa" paying again
an invoice already paid. ``seed_demo`` writes it and does not import it: importing it is the demo of
``manage.py import_payments`` and of the admin's upload, and of the queue after it.
"""

import datetime
import random
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from balcao.billing.models import DocumentType, Invoice
from balcao.billing.multibanco import multibanco_reference

FILE_NAME = "pagamentos-multibanco-demo.csv"
HEADER = "entity;reference;amount;paid_at;terminal;transaction_id"
MATCHED = ("600004", "600005")  # legado's, on one account without direct debit
OTHER_AMOUNT = "600001"
PAID_AGAIN = "600001"  # ana's "Casa"


def _reference(invoice: Invoice) -> str:
    return multibanco_reference(
        entity=settings.MULTIBANCO_ENTITY,
        sub_entity=settings.MULTIBANCO_SUB_ENTITY,
        document_id=invoice.sequence,
        amount=invoice.gross_total,
    ).reference


def _latest(contract_number: str, status: str) -> Invoice | None:
    return (
        Invoice.objects.filter(
            contract__contract_number=contract_number,
            document_type=DocumentType.INVOICE,
            status=status,
        )
        .order_by("-period_start")
        .first()
    )


def demo_lines(today: datetime.date) -> list[str]:
    """The file's lines after its header, from the demo's invoices as they are now."""
    day = today - datetime.timedelta(days=1)
    rows: list[tuple[str, Decimal]] = []
    for number in MATCHED:
        invoice = _latest(number, Invoice.Status.ISSUED)
        if invoice is not None and not invoice.account.direct_debit:
            rows.append((_reference(invoice), invoice.gross_total))
    other = _latest(OTHER_AMOUNT, Invoice.Status.ISSUED)
    if other is not None and not other.account.direct_debit:
        rows.append((_reference(other), other.gross_total - Decimal("1.00")))
    nobody = multibanco_reference(
        entity=settings.MULTIBANCO_ENTITY,
        sub_entity=settings.MULTIBANCO_SUB_ENTITY,
        document_id=9_999,
        amount=Decimal("31.40"),
    )
    rows.append((nobody.reference, nobody.amount))
    paid = _latest(PAID_AGAIN, Invoice.Status.PAID)
    if paid is not None:
        rows.append((_reference(paid), paid.gross_total))
    lines = []
    for n, (reference, amount) in enumerate(rows, start=1):
        at = datetime.datetime.combine(day, datetime.time(8 + 2 * n, 7 * n % 60))
        lines.append(
            f"{settings.MULTIBANCO_ENTITY};{reference};{f'{amount:.2f}'.replace('.', ',')};"
            f"{at:%Y-%m-%d %H:%M:%S};LEI{n:05d};DEMO{day:%Y%m%d}{n:06d}"
        )
    return lines


def write_demo_file(today: datetime.date, folder: Path | None = None) -> Path:
    """Write the demo's file (replacing an older one) and return its path."""
    path = Path(folder or settings.VAR_DIR) / FILE_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([HEADER, *demo_lines(today)]) + "\n", encoding="utf-8")
    return path


def seed(*, rng: random.Random, today: datetime.date, stdout) -> None:
    path = write_demo_file(today)
    stdout.write(f"  ficheiro Multibanco por importar: {path} (manage.py import_payments)")
