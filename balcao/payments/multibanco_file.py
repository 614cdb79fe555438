"""Reading the payment network's notification file (docs/payments.md "Multibanco").

UTF-8 text (a byte-order mark is ignored), one payment per line, fields separated by ``;``,
a header line first, exactly::

    entity;reference;amount;paid_at;terminal;transaction_id
    90150;123123451;432,11;2026-11-20 14:03:12;LEI00123;20261120MB0000001

- ``entity``: 5 digits; ``reference``: 9 digits (spaces between the groups are allowed);
- ``amount``: euros with 2 decimals, decimal comma (Portuguese) or dot, no thousands
  separator: ``432,11`` or ``432.11``;
- ``paid_at``: ``AAAA-MM-DD HH:MM:SS`` (or ``…THH:MM:SS``), Lisbon time unless it ends in
  an offset (``+00:00``);
- ``terminal``: the ATM or channel's id, as given (may be empty);
- ``transaction_id``: the network's id of the payment, unique, at most 80 characters.

Blank lines are skipped. A line that does not read (wrong number of fields, an amount or a
date that is not one) is still returned, with ``problem`` saying what is wrong: the import
keeps it for a clerk. A file whose first line is not the header is not such a file at all
(``NotANotificationFile``).
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

HEADER = ("entity", "reference", "amount", "paid_at", "terminal", "transaction_id")
SEPARATOR = ";"
AMOUNT = re.compile(r"^\d{1,6}(?:[.,]\d{2})?$")
MAX_RAW = 500


class NotANotificationFile(ValueError):
    """The file is not a Multibanco notification file as documented."""


@dataclass(frozen=True, slots=True)
class FileLine:
    """One line as read; ``problem`` is set when it does not read as a payment."""

    number: int
    raw: str
    entity: str = ""
    reference: str = ""
    amount: Decimal | None = None
    paid_at: datetime.datetime | None = None
    terminal: str = ""
    transaction_id: str = ""
    problem: str = ""


def read_lines(data: bytes) -> Iterator[FileLine]:
    """The file's payment lines, numbered as in the file (the header is line 1)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotANotificationFile(f"not UTF-8 text ({error})") from error
    rows = text.splitlines()
    header = tuple(field.strip().lower() for field in rows[0].split(SEPARATOR)) if rows else ()
    if header != HEADER:
        raise NotANotificationFile(
            "the first line must be the header " + SEPARATOR.join(HEADER) + f", not {rows[:1]}"
        )
    zone = ZoneInfo(settings.TIME_ZONE)
    for number, row in enumerate(rows[1:], start=2):
        if row.strip():
            yield parse_line(number, row, zone)


def parse_line(number: int, row: str, zone: ZoneInfo) -> FileLine:
    raw = row[:MAX_RAW]
    fields = [field.strip() for field in row.split(SEPARATOR)]
    if len(fields) != len(HEADER):
        return FileLine(
            number,
            raw,
            problem=_("%(found)s campos em vez de %(wanted)s (separador ;).")
            % {"found": len(fields), "wanted": len(HEADER)},
        )
    entity, reference, amount_text, paid_text, terminal, transaction_id = fields
    reference = reference.replace(" ", "")

    def read(**parsed: Any) -> FileLine:
        return FileLine(
            number,
            raw,
            entity=entity[:10],
            reference=reference[:20],
            terminal=terminal[:40],
            # Too long to be kept whole: not kept, so that it is never mistaken for another.
            transaction_id=transaction_id if len(transaction_id) <= 80 else "",
            **parsed,
        )

    if not AMOUNT.match(amount_text):
        return read(problem=_("Montante ilegível: «%(text)s».") % {"text": amount_text})
    amount = Decimal(amount_text.replace(",", "."))
    try:
        paid_at = datetime.datetime.fromisoformat(paid_text)
    except ValueError:
        return read(
            amount=amount,
            problem=_("Data e hora ilegíveis: «%(text)s».") % {"text": paid_text},
        )
    if paid_at.tzinfo is None:
        paid_at = paid_at.replace(tzinfo=zone)
    problem = ""
    if not transaction_id:
        problem = _("Sem identificador da transação.")
    elif len(transaction_id) > 80:
        problem = _("Identificador da transação com mais de 80 caracteres.")
    return read(amount=amount, paid_at=paid_at, problem=problem)
