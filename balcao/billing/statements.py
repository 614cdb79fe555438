"""The customer's reading of their invoices (manual 6.1 and 6.4): what the pages show.

Selectors (typed, each a fixed number of queries whatever the history's length) and the
pure functions that explain a document: its status as the customer reads it, each line's
calculation, and one sentence on why it differs from the previous invoice.
"""

import datetime
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from balcao.billing.computation import LineKind
from balcao.billing.models import DocumentType, Invoice, InvoiceLine
from balcao.contracts.models import Contract
from balcao.core import json_columns
from balcao.core.compiled_columns import CompiledColumn
from balcao.core.json_columns import JsonObject
from balcao.core.money import format_euros
from balcao.readings.models import Reading

ZERO = Decimal("0")


# --- Selectors -------------------------------------------------------------------------


def _in_force() -> QuerySet[Invoice]:
    """Invoices (not credit notes) not cancelled: what the customer is asked to pay."""
    return Invoice.objects.filter(document_type=DocumentType.INVOICE).exclude(
        status=Invoice.Status.CANCELLED
    )


def invoice_years(contract: Contract, today: datetime.date) -> list[int]:
    """The years with documents of the contract, newest first (this year when none)."""
    years = [
        day.year
        for day in Invoice.objects.filter(contract=contract).dates(
            "issue_date", "year", order="DESC"
        )
    ]
    return years or [today.year]


def documents_of_year(contract: Contract, year: int) -> list[Invoice]:
    """The contract's invoices and credit notes issued in ``year``, newest first."""
    return list(
        Invoice.objects.filter(contract=contract, issue_date__year=year)
        .select_related("corrects")
        .order_by("-issue_date", "-pk")
    )


def latest_invoices(contract_ids: Iterable[int]) -> dict[int, Invoice]:
    """Each contract's latest invoice in force, in one query for all of them."""
    ranked = (
        _in_force()
        .filter(contract_id__in=list(contract_ids))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("contract_id")],
                order_by=[F("issue_date").desc(), F("pk").desc()],
            )
        )
    )
    return {invoice.contract_id: invoice for invoice in ranked.filter(rank=1)}


def latest_invoice(contract: Contract) -> Invoice | None:
    """The contract's latest invoice in force, with its account (for the Multibanco box)."""
    return (
        _in_force()
        .filter(contract=contract)
        .select_related("account")
        .order_by("-issue_date", "-pk")
        .first()
    )


def previous_invoice(invoice: Invoice) -> Invoice | None:
    """The invoice in force of the contract's period before this one."""
    return (
        _in_force()
        .filter(contract_id=invoice.contract_id, period_start__lt=invoice.period_start)
        .order_by("-period_start", "-pk")
        .first()
    )


# What why_different reads of the previous invoice, as ONE column of the invoice's own row:
# a JSON object of its fields (one subquery, not one per field: PostgreSQL plans it on every
# request), compiled once (CompiledColumn: not again by Django on every request).
_PREVIOUS_INVOICE = CompiledColumn(
    Invoice,
    Subquery(
        _in_force()
        .filter(contract_id=OuterRef("contract_id"), period_start__lt=OuterRef("period_start"))
        .order_by("-period_start", "-pk")
        .values(
            row=JsonObject(
                pk="pk",
                number="number",
                water_volume="water_volume",
                days="days",
                estimated="estimated",
                tariff_id="tariff_id",
                gross_total="gross_total",
                adjustment_note="adjustment_note",
            )
        )[:1]
    ),
)


def previous_invoice_annotations() -> dict[str, CompiledColumn]:
    """The previous invoice (``previous_invoice``) as a column to annotate the invoice's
    query with (``previous_invoice_row``, one subquery): no query of its own."""
    return {"previous_invoice_row": _PREVIOUS_INVOICE}


def annotated_previous_invoice(invoice: Invoice) -> Invoice | None:
    """``previous_invoice(invoice)`` from the column ``previous_invoice_annotations`` added
    to its row (an unsaved Invoice with just the fields why_different reads); queried when
    it is missing."""
    if not hasattr(invoice, "previous_invoice_row"):
        return previous_invoice(invoice)
    row = json_columns.parse(invoice.previous_invoice_row)
    if row is None:
        return None
    return Invoice(
        pk=row["pk"],
        number=row["number"],
        water_volume=json_columns.as_decimal(row["water_volume"], 3),
        days=row["days"],
        estimated=bool(row["estimated"]),
        tariff_id=row["tariff_id"],
        gross_total=json_columns.as_decimal(row["gross_total"], 2),
        adjustment_note=row["adjustment_note"] or "",
    )


# An issued document's lines and readings, kept in the cache (Redis in production) for a
# day: they cannot go stale, as nothing of them changes once the document is issued (its
# lines are written in the issuing transaction and InvoiceLine.save/delete refuse any
# change; its readings are linked in that same transaction and are invoiced, a final
# status, shown read-only in the admin). The key names the document's signature too, so
# that a database rebuilt with the same ids (a demo, a test run on Redis) never reads
# another document's entry, and a version to bump if what is kept changes.
PARTS_TIMEOUT = 24 * 3600
_PARTS_VERSION = 1


def invoice_parts(invoice: Invoice) -> tuple[list[InvoiceLine], list[Reading]]:
    """The document's lines (in order) and the readings it used (by date): from the cache,
    or two queries the first time."""
    signature = hashlib.blake2b(invoice.hash.encode(), digest_size=8).hexdigest()
    key = f"invoice-parts:{_PARTS_VERSION}:{invoice.pk}:{signature}"
    parts = cache.get(key)
    if parts is None:
        parts = (
            list(invoice.lines.all()),
            list(invoice.readings.order_by("taken_on", "pk")),
        )
        cache.set(key, parts, timeout=PARTS_TIMEOUT)
    return parts


# --- How the customer reads a document -------------------------------------------------


def customer_status(invoice: Invoice, today: datetime.date) -> str:
    """The key of the "invoice" status tag: paid, issued, overdue, cancelled, credit_note."""
    if invoice.is_credit_note:
        return "credit_note"
    if invoice.is_overdue(today):
        return "overdue"
    return str(invoice.status)


@dataclass(frozen=True)
class MonthAmount:
    month: int  # 1-12
    label: str  # "Jan"
    name: str  # "janeiro"
    amount: Decimal


def monthly_amounts(documents: Sequence[Invoice]) -> list[MonthAmount]:
    """The year's invoiced amounts per month of issue (invoices in force; a cancelled
    invoice and its credit note count for nothing)."""
    totals = dict.fromkeys(range(1, 13), ZERO)
    for document in documents:
        if document.document_type == DocumentType.INVOICE and (
            document.status != Invoice.Status.CANCELLED
        ):
            totals[document.issue_date.month] += document.gross_total
    return [
        MonthAmount(
            month=month,
            label=str(MONTHS_3[month]).capitalize(),
            name=str(MONTHS[month]).lower(),
            amount=amount,
        )
        for month, amount in totals.items()
    ]


def month_name(day: datetime.date) -> str:
    return str(MONTHS[day.month]).lower()


def format_m3(volume: Decimal) -> str:
    """14 → "14", 9.5 → "9,5", 4.333333 → "4,333" (to the litre)."""
    value = Decimal(volume).quantize(Decimal("0.001")).normalize()
    places = max(0, -value.as_tuple().exponent)  # type: ignore[operator]
    return number_format(value, places, use_l10n=True)


def format_unit_price(price: Decimal) -> str:
    """A tariff price with its 4 decimals: "0,5900 €"."""
    return f"{number_format(Decimal(price), 4, use_l10n=True)} €"


@dataclass(frozen=True)
class ExplainedLine:
    line: InvoiceLine
    calculation: str  # "4 m³ × 0,5900 €/m³" or "3,5000 € por 30 dias × 31/30"
    vat: str  # "6 %" or "M99"


def explained_lines(invoice: Invoice, lines: Sequence[InvoiceLine]) -> list[ExplainedLine]:
    """Each line with its calculation in words: quantity × price = amount."""
    rows = []
    for line in lines:
        if line.kind == LineKind.FIXED:
            calculation = _("%(price)s por 30 dias × %(days)s/30") % {
                "price": format_unit_price(line.unit_price),
                "days": invoice.days,
            }
        else:
            calculation = _("%(quantity)s m³ × %(price)s/m³") % {
                "quantity": format_m3(line.quantity),
                "price": format_unit_price(line.unit_price),
            }
        if line.vat_rate is not None:
            vat = f"{number_format(line.vat_rate.normalize(), 0, use_l10n=True)} %"
        else:
            vat = line.exemption_code
        rows.append(ExplainedLine(line=line, calculation=calculation, vat=vat))
    return rows


def why_different(invoice: Invoice, previous: Invoice | None) -> str:
    """One sentence on how this invoice differs from the previous one, and why."""
    if invoice.is_credit_note:
        return _("Esta nota de crédito anula a fatura %(number)s.") % {
            "number": invoice.corrects.number if invoice.corrects else ""
        }
    if previous is None:
        return _("É a primeira fatura deste contrato.")
    reasons = []
    if invoice.water_volume != previous.water_volume:
        values = {
            "now": format_m3(invoice.water_volume),
            "before": format_m3(previous.water_volume),
        }
        if invoice.water_volume > previous.water_volume:
            reasons.append(_("consumo maior: %(now)s m³ contra %(before)s m³") % values)
        else:
            reasons.append(_("consumo menor: %(now)s m³ contra %(before)s m³") % values)
    if invoice.adjustment_note:
        reasons.append(_("inclui acerto de estimativas"))
    elif previous.adjustment_note:
        # Less to pay for more water (or more for less) needs this, or it reads as an error.
        reasons.append(_("a fatura anterior incluía acerto de estimativas"))
    if invoice.days != previous.days:
        reasons.append(_("período de %(days)s dias") % {"days": invoice.days})
    if invoice.estimated and not previous.estimated:
        reasons.append(_("consumo estimado"))
    if invoice.tariff_id != previous.tariff_id:
        reasons.append(_("novo tarifário"))
    difference = invoice.gross_total - previous.gross_total
    values = {"amount": format_euros(abs(difference)), "number": previous.number}
    if difference > 0:
        sentence = _("Mais %(amount)s do que a fatura anterior (%(number)s)") % values
    elif difference < 0:
        sentence = _("Menos %(amount)s do que a fatura anterior (%(number)s)") % values
    else:
        sentence = _("O mesmo valor da fatura anterior (%(number)s)") % values
    if reasons:
        return f"{sentence}: {'; '.join(reasons)}."
    return f"{sentence}."
