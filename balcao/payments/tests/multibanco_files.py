"""Multibanco notification files for tests, written as the network writes them
(docs/payments.md "Multibanco"), with the references the invoices show."""

import itertools
from decimal import Decimal

from balcao.billing.documents import multibanco_for
from balcao.billing.models import Invoice
from balcao.billing.multibanco import multibanco_reference

HEADER = "entity;reference;amount;paid_at;terminal;transaction_id"
_ids = itertools.count(1)


def transaction_id() -> str:
    return f"20261120MB{next(_ids):07d}"


def line(
    *,
    entity: str = "90150",
    reference: str,
    amount: Decimal | str,
    paid_at: str = "2026-11-20 14:03:12",
    terminal: str = "LEI00123",
    tid: str | None = None,
    comma: bool = True,
) -> str:
    text = f"{Decimal(amount):.2f}"
    if comma:
        text = text.replace(".", ",")
    return f"{entity};{reference};{text};{paid_at};{terminal};{tid or transaction_id()}"


def paying(invoice: Invoice, *, amount: Decimal | str | None = None, **kwargs) -> str:
    """A line that pays ``invoice`` with the reference its page shows (its amount unless
    ``amount``)."""
    shown = multibanco_for(invoice)
    assert shown is not None, f"{invoice} shows no Multibanco reference"
    return line(
        reference=shown.reference,
        amount=amount if amount is not None else invoice.gross_total,
        **kwargs,
    )


def notification(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def nobodys_reference(amount: str = "12.34", document_id: int = 7777) -> str:
    """A well-formed reference (right check digits) that no invoice of the tests has."""
    return multibanco_reference(
        entity="90150", sub_entity="123", document_id=document_id, amount=Decimal(amount)
    ).reference
