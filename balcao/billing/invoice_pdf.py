"""The invoice and credit note as PDF (ReportLab): A4, real text, drawn once at issue.

DOMAIN.md "Invoices": the utility's identity and NIF; the holder, NIF and billing address
where a DL window envelope shows it; contract, CIL and period; the readings used with their
origin; the consumption; each service's lines by band; the VAT summary by rate with the
exemption reason; the total and due date; how to pay (the Multibanco box, or the direct
debit account masked); the consumption of the last 12 months as a small bar chart with its
numbers; the ATCUD right above the AT QR code (at least 30 × 30 mm, drawn as vector
squares); the 4 hash characters and the certificate sentence (Portaria 363/2010).

Two steps: ``sheet_for(invoice)`` reads what the document shows (a few queries) into an
``InvoiceSheet`` of plain strings, and ``render_sheet(sheet)`` draws it, with the
standard Helvetica fonts (nothing to embed or load) so one page takes a few milliseconds.
The document is in Portuguese, the language of the legal document, whatever the language
of the request that caused it.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import segno
from django.conf import settings
from django.utils import translation
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from balcao.billing.documents import (
    direct_debit_notice,
    invoice_multibanco_reference,
    multibanco_for,
    qr_string,
    vat_summary_of,
)
from balcao.billing.models import DocumentType, Invoice
from balcao.billing.signature import certificate_sentence
from balcao.core.money import format_euros
from balcao.readings.models import Reading

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 20 * mm
RIGHT = PAGE_WIDTH - 18 * mm
RIGHT_COLUMN = 118 * mm
# The window of a DL envelope (110 × 220 mm, ISO 269 / the CTT's "DL com janela": the window
# 45 mm high, 15 mm above the bottom edge, 20 mm from the left, 90 to 100 mm wide). An A4
# folded in three (99 mm panels) faces it with its top panel: the window shows the band 50
# to 95 mm below the sheet's top edge, and the sheet may slide 11 mm down the envelope and
# 10 mm across, so what is always seen is 50–84 mm from the top and 20–100 mm from the left.
# The holder's name and address stay inside that, with a margin: at most ADDRESS_LINES lines
# of ADDRESS_WIDTH, the first line's capitals 53 mm below the top.
WINDOW_TOP_MM, WINDOW_BOTTOM_MM, WINDOW_LEFT_MM, WINDOW_RIGHT_MM = 50, 84, 20, 100
ADDRESS_LEFT = 23 * mm
ADDRESS_WIDTH = (WINDOW_RIGHT_MM - 2) * mm - ADDRESS_LEFT
ADDRESS_SIZE, ADDRESS_LEADING = 10.5, 4.6 * mm
ADDRESS_FIRST_BASELINE = PAGE_HEIGHT - 56 * mm
ADDRESS_LINES = 6  # the last baseline 79 mm from the top, its descenders above 81 mm
# Fold marks (DIN 5008) at the thirds of the page, on the left edge of the first page.
FOLDS = (PAGE_HEIGHT - 99 * mm, PAGE_HEIGHT - 198 * mm)
# Where the flowing part (readings, lines, totals) must stop above the bottom boxes.
BOTTOM_ZONE_TOP = 92 * mm
FLOW_FLOOR = 18 * mm
QR_SIZE = 32 * mm  # AT: at least 30 × 30 mm
ROW = 4.3 * mm
REGULAR, BOLD = "Helvetica", "Helvetica-Bold"
CHART_MONTHS = 12
# A fixed QR mask: any of the 8 is valid (the symbol says which), and choosing the best one
# by the standard's penalty rules costs five times the rest of the page.
QR_MASK = 2


@dataclass(frozen=True)
class SheetLine:
    description: str
    quantity: str
    unit_price: str
    vat: str
    amount: str
    first_of_service: bool


@dataclass(frozen=True)
class ChartBar:
    label: str
    volume: Decimal
    current: bool


@dataclass
class InvoiceSheet:
    """Everything the page prints, as text (and the chart's numbers and the QR's text)."""

    title: str
    number: str
    atcud_label: str
    issue_date: str
    due_date: str
    utility_name: str
    utility_lines: list[str]
    customer_name: str
    customer_nif: str
    address_lines: list[str]
    contract_rows: list[tuple[str, str]]
    reading_rows: list[tuple[str, str, str, str]]
    consumption: str
    lines: list[SheetLine]
    vat_rows: list[tuple[str, str, str]]
    exemptions: list[str]
    totals: list[tuple[str, str]]
    notes: list[str]
    payment_title: str
    payment_rows: list[tuple[str, str]]
    chart: list[ChartBar]
    qr_text: str
    hash_sentence: str
    footer: str
    credit_note_rows: list[tuple[str, str]] = field(default_factory=list)


def _date(value: datetime.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _number(value: Decimal, places: int) -> str:
    """Portuguese decimals: 12,500 (no thousands separator in a table of quantities)."""
    return f"{value:.{places}f}".replace(".", ",")


def _volume(value: Decimal) -> str:
    text = _number(value.normalize() if value == value.to_integral() else value, 3)
    return text.rstrip("0").rstrip(",") if "," in text else text


def _origin(reading: Reading) -> str:
    labels: dict[str, str] = {
        Reading.Origin.COMPANY: _("real (leitura dos SMAS)"),
        Reading.Origin.CUSTOMER: _("comunicada pelo cliente"),
        Reading.Origin.ESTIMATE: _("estimada"),
    }
    return labels.get(reading.origin, reading.get_origin_display())


def _reading_rows(invoice: Invoice) -> list[tuple[str, str, str, str]]:
    """The previous and the current reading: those the invoice used (a credit note: the
    invoice it corrects), and the one before."""
    used = sorted(
        (invoice.corrects or invoice).readings.all(),
        key=lambda reading: (reading.taken_on, reading.pk),
    )
    rows = []
    if used:
        previous = (
            Reading.objects.filter(
                installation_id=invoice.contract.installation_id,
                taken_on__lt=used[0].taken_on,
                status__in=Reading.VALID_STATUSES,
            )
            .order_by("-taken_on", "-pk")
            .first()
        )
        if previous is not None:
            used.insert(0, previous)
        # The one before the period, the ones inside it, and the last one.
        inner = [_("Leitura intermédia")] * max(len(used) - 2, 0)
        labels = [_("Leitura anterior"), *inner, _("Leitura atual")][-len(used) :]
        for label, reading in zip(labels, used, strict=True):
            rows.append((label, _date(reading.taken_on), f"{reading.index} m³", _origin(reading)))
    return rows


def _chart(invoice: Invoice) -> list[ChartBar]:
    """The last 12 invoiced periods of the contract up to this one (cancelled ones out)."""
    earlier = (
        Invoice.objects.filter(
            contract_id=invoice.contract_id,
            document_type=DocumentType.INVOICE,
            period_start__lt=invoice.period_start,
        )
        .exclude(status=Invoice.Status.CANCELLED)
        .order_by("-period_start")
        .values_list("period_start", "days", "water_volume")[: CHART_MONTHS - 1]
    )
    periods = [*reversed(earlier), (invoice.period_start, invoice.days, invoice.water_volume)]
    bars = []
    for index, (start, days, volume) in enumerate(periods):
        middle = start + datetime.timedelta(days=days // 2)  # the month most of it is in
        bars.append(
            ChartBar(
                label=f"{MONTHS_3[middle.month]} {middle:%y}",
                volume=volume,
                current=index == len(periods) - 1,
            )
        )
    return bars


def _payment(invoice: Invoice) -> tuple[str, list[tuple[str, str]]]:
    if invoice.document_type != DocumentType.INVOICE:
        return "", []
    if invoice.account.direct_debit:
        # The pre-notification (documents.direct_debit_notice): amount, account, debit date.
        notice = direct_debit_notice(invoice)
        if notice is None:
            return _("Débito direto"), [(_("Data do débito"), _date(invoice.due_date))]
        return _("Débito direto"), [
            (_("Montante a debitar"), format_euros(notice.amount)),
            (_("IBAN"), notice.masked_iban),
            (_("Data do débito"), _date(notice.debit_date)),
        ]
    if invoice.gross_total <= 0:
        return "", []
    # At issue the invoice is open; should it be paid before the page is drawn, the page
    # still shows the reference it was issued with.
    reference = multibanco_for(invoice) or invoice_multibanco_reference(invoice)
    return _("Pagamento por Multibanco"), [
        (_("Entidade"), reference.entity),
        (_("Referência"), reference.formatted_reference),
        (_("Montante"), format_euros(reference.amount)),
    ]


SHEET_RELATED = ("contract__installation", "account", "corrects")


def sheet_for(invoice: Invoice, *, loaded: bool = False) -> InvoiceSheet:
    """What the document prints, read from the stored invoice (about five queries).
    ``loaded``: the invoice was read with ``select_related(*SHEET_RELATED)`` already."""
    if not loaded:
        invoice = Invoice.objects.select_related(*SHEET_RELATED).get(pk=invoice.pk)
    utility = settings.UTILITY
    with translation.override(settings.LANGUAGE_CODE):
        lines = list(invoice.lines.all())
        is_note = invoice.document_type == DocumentType.CREDIT_NOTE
        sheet_lines = []
        previous_service = None
        for line in lines:
            if line.vat_rate is not None:
                vat = f"{_number(line.vat_rate.normalize(), 0)} %"
            else:
                vat = line.exemption_code
            if line.kind == "variable":
                quantity = f"{_number(line.quantity, 3)} m³"
                unit_price = f"{_number(line.unit_price, 4)} €/m³"
            else:  # periods of 30 days: printed as the days they are
                days = (line.quantity * 30).quantize(Decimal("0.01"))
                quantity = _("%(days)s dias") % {"days": _volume(days)}
                unit_price = _("%(price)s €/30 dias") % {"price": _number(line.unit_price, 4)}
            sheet_lines.append(
                SheetLine(
                    description=line.description,
                    quantity=quantity,
                    unit_price=unit_price,
                    vat=vat,
                    amount=format_euros(line.amount),
                    first_of_service=line.service != previous_service,
                )
            )
            previous_service = line.service
        summary = vat_summary_of(lines)
        vat_rows = []
        exemptions = []
        for row in summary:
            if row.rate is None:
                label = row.exemption_code
                exemptions.append(f"{row.exemption_code}: {row.exemption_reason}")
            else:
                label = f"{_('IVA')} {_number(row.rate.normalize(), 0)} %"
            vat_rows.append((label, format_euros(row.base), format_euros(row.vat)))
        payment_title, payment_rows = _payment(invoice)
        notes = [note for note in (invoice.adjustment_note, invoice.prescription_note) if note]
        credit_rows = []
        if is_note and invoice.corrects is not None:
            credit_rows = [
                (_("Corrige a fatura"), invoice.corrects.number),
                (_("Emitida em"), _date(invoice.corrects.issue_date)),
                (_("Motivo"), invoice.credit_reason),
            ]
        period = _("%(start)s a %(end)s (%(days)s dias)") % {
            "start": _date(invoice.period_start),
            "end": _date(invoice.period_end),
            "days": invoice.days,
        }
        consumption = _("Consumo faturado: %(volume)s m³ (%(kind)s)") % {
            "volume": _volume(invoice.water_volume),
            "kind": _("estimado") if invoice.estimated else _("real"),
        }
        return InvoiceSheet(
            title=_("Nota de crédito") if is_note else _("Fatura"),
            number=invoice.number,
            atcud_label=invoice.atcud_label,
            issue_date=_date(invoice.issue_date),
            due_date=_date(invoice.due_date),
            utility_name=utility["name"],
            utility_lines=[
                utility["address"],
                f"NIF {utility['nif']} · {utility['phone']} · {utility['email']}",
                utility["website"],
            ],
            customer_name=invoice.customer_name,
            customer_nif=invoice.customer_nif,
            address_lines=invoice.customer_address.split(", "),
            contract_rows=[
                (_("Contrato"), invoice.contract.contract_number),
                (_("Instalação (CIL)"), invoice.contract.installation.cil),
                (_("Conta"), invoice.account.account_number),
                (_("Período"), period),
            ],
            reading_rows=_reading_rows(invoice),
            consumption=consumption,
            lines=sheet_lines,
            vat_rows=vat_rows,
            exemptions=exemptions,
            totals=[
                (_("Total sem IVA"), format_euros(invoice.net_total)),
                (_("IVA"), format_euros(invoice.vat_total)),
                (
                    _("Total a crédito") if is_note else _("Total a pagar"),
                    format_euros(invoice.gross_total),
                ),
            ],
            notes=notes,
            payment_title=payment_title,
            payment_rows=payment_rows,
            chart=_chart(invoice),
            qr_text=qr_string(invoice),
            hash_sentence=f"{invoice.hash_characters} - {certificate_sentence()}",
            footer=f"{utility['name']} · NIF {utility['nif']}",
            credit_note_rows=credit_rows,
        )


# --- Drawing ---------------------------------------------------------------------------


class DocumentPage:
    """The canvas and the flowing part's cursor; a new page when the flow runs out, with the
    document's short header. The receipt's PDF (payments) draws on the same page."""

    floor = BOTTOM_ZONE_TOP  # where the flow stops on a page (above the footer's zone)

    def __init__(self, canvas: Canvas, sheet: Any):
        self.canvas = canvas
        self.sheet = sheet  # an InvoiceSheet, or a document sheet with the same header fields
        self.page = 1
        self.y = 0.0

    def text(self, x: float, y: float, value: str, size: float = 8.5, font: str = REGULAR):
        self.canvas.setFont(font, size)
        self.canvas.drawString(x, y, value)

    def right(self, x: float, y: float, value: str, size: float = 8.5, font: str = REGULAR):
        self.canvas.setFont(font, size)
        self.canvas.drawRightString(x, y, value)

    def need(self, height: float, floor: float | None = None) -> None:
        """Room for ``height`` above ``floor``, or continue on a new page."""
        if self.y - height >= (self.floor if floor is None else floor):
            return
        self.footer()
        self.canvas.showPage()
        self.page += 1
        self.continuation_header()

    def continuation_header(self) -> None:
        sheet = self.sheet
        self.text(LEFT, PAGE_HEIGHT - 16 * mm, sheet.utility_name, 10, BOLD)
        self.right(RIGHT, PAGE_HEIGHT - 16 * mm, f"{sheet.title} {sheet.number}", 10, BOLD)
        self.right(RIGHT, PAGE_HEIGHT - 21 * mm, sheet.atcud_label)
        self.y = PAGE_HEIGHT - 30 * mm

    def footer(self) -> None:
        sheet = self.sheet
        self.text(LEFT, 10 * mm, sheet.hash_sentence, 7.5)
        self.right(RIGHT, 10 * mm, f"{sheet.atcud_label} · {_('Página')} {self.page}", 7.5)
        self.text(LEFT, 6.5 * mm, sheet.footer, 6.5)


def window_lines(sheet: InvoiceSheet) -> list[str]:
    """The name and address as they fit the envelope's window: each line wrapped to its
    width, at most ADDRESS_LINES (the name first; the postal code's line is the address's
    last, and is kept)."""
    lines: list[str] = []
    for text in [sheet.customer_name, *sheet.address_lines]:
        lines += simpleSplit(text, REGULAR, ADDRESS_SIZE, ADDRESS_WIDTH) or [""]
    if len(lines) > ADDRESS_LINES:
        lines = [*lines[: ADDRESS_LINES - 1], lines[-1]]
    return lines


def _draw_header(page: DocumentPage) -> None:
    sheet = page.sheet
    top = PAGE_HEIGHT - 16 * mm
    name_lines = simpleSplit(sheet.utility_name, BOLD, 10, RIGHT_COLUMN - LEFT - 6 * mm)
    y = top
    for line in name_lines:
        page.text(LEFT, y, line, 10, BOLD)
        y -= 4.4 * mm
    for line in sheet.utility_lines:
        page.text(LEFT, y, line, 7.5)
        y -= 3.6 * mm

    # The document's identity, top right.
    page.text(RIGHT_COLUMN, top, sheet.title, 14, BOLD)
    page.text(RIGHT_COLUMN, top - 6 * mm, sheet.number, 11, BOLD)
    rows = [(_("Data de emissão"), sheet.issue_date)]
    if sheet.due_date:
        rows.append((_("Pagar até"), sheet.due_date))
    y = top - 11 * mm
    for label, value in rows:
        page.text(RIGHT_COLUMN, y, label)
        page.right(RIGHT, y, value, 8.5, BOLD)
        y -= ROW
    page.text(RIGHT_COLUMN, y, sheet.atcud_label)

    # The holder in the envelope's window.
    y = ADDRESS_FIRST_BASELINE
    for line in window_lines(sheet):
        page.text(ADDRESS_LEFT, y, line, ADDRESS_SIZE)
        y -= ADDRESS_LEADING
    page.canvas.setLineWidth(0.3)
    for fold in FOLDS:
        page.canvas.line(4 * mm, fold, 8 * mm, fold)

    # Contract data, beside the window.
    y = ADDRESS_FIRST_BASELINE
    page.text(RIGHT_COLUMN, y, _("NIF do cliente"))
    page.right(RIGHT, y, sheet.customer_nif)
    for label, value in sheet.contract_rows:
        y -= ROW
        page.text(RIGHT_COLUMN, y, label)
        page.right(RIGHT, y, value, 8)
    page.y = PAGE_HEIGHT - 86 * mm


def _draw_heading(page: DocumentPage, title: str) -> None:
    page.need(2 * ROW)
    page.text(LEFT, page.y, title, 9.5, BOLD)
    page.canvas.line(LEFT, page.y - 1.3 * mm, RIGHT, page.y - 1.3 * mm)
    page.y -= ROW + 1 * mm


def _draw_flow(page: DocumentPage) -> None:
    sheet = page.sheet
    canvas = page.canvas
    canvas.setLineWidth(0.4)
    if sheet.credit_note_rows:
        _draw_heading(page, _("Nota de crédito"))
        for label, value in sheet.credit_note_rows:
            page.need(ROW)
            page.text(LEFT, page.y, label)
            page.text(LEFT + 35 * mm, page.y, value, 8.5, BOLD)
            page.y -= ROW
        page.y -= 2 * mm

    _draw_heading(page, _("Leituras e consumo"))
    for label, day, index, origin in sheet.reading_rows:
        page.need(ROW)
        page.text(LEFT, page.y, label)
        page.text(LEFT + 35 * mm, page.y, day)
        page.right(LEFT + 75 * mm, page.y, index)
        page.text(LEFT + 80 * mm, page.y, origin)
        page.y -= ROW
    page.need(ROW)
    page.text(LEFT, page.y, sheet.consumption, 8.5, BOLD)
    page.y -= ROW + 2 * mm

    _draw_heading(page, _("Serviços"))
    columns = (RIGHT - 70 * mm, RIGHT - 42 * mm, RIGHT - 26 * mm, RIGHT)
    headers = (_("Quantidade"), _("Preço unitário"), _("IVA"), _("Valor"))
    for x, label in zip(columns, headers, strict=True):
        page.right(x, page.y, label, 7.5, BOLD)
    page.y -= ROW
    for line in sheet.lines:
        page.need(ROW + (1.5 * mm if line.first_of_service else 0))
        if line.first_of_service and line is not sheet.lines[0]:
            page.y -= 1.5 * mm
        page.text(LEFT, page.y, line.description, 8)
        for x, value in zip(
            columns, (line.quantity, line.unit_price, line.vat, line.amount), strict=True
        ):
            page.right(x, page.y, value, 8)
        page.y -= ROW
    page.y -= 2 * mm

    # VAT summary (left) and totals (right), side by side.
    height = (max(len(sheet.vat_rows) + 1, len(sheet.totals)) + len(sheet.exemptions)) * ROW
    page.need(height + 2 * ROW)
    canvas.line(LEFT, page.y + 2.8 * mm, RIGHT, page.y + 2.8 * mm)
    top = page.y
    page.text(LEFT, page.y, _("Resumo do IVA"), 8, BOLD)
    page.right(LEFT + 55 * mm, page.y, _("Incidência"), 7.5, BOLD)
    page.right(LEFT + 75 * mm, page.y, _("Imposto"), 7.5, BOLD)
    for label, base, vat in sheet.vat_rows:
        page.y -= ROW
        page.text(LEFT, page.y, label, 8)
        page.right(LEFT + 55 * mm, page.y, base, 8)
        page.right(LEFT + 75 * mm, page.y, vat, 8)
    bottom = page.y
    y = top
    for position, (total_label, total) in enumerate(sheet.totals):
        last = position == len(sheet.totals) - 1
        size = 11 if last else 8.5
        page.text(RIGHT_COLUMN, y, total_label, size, BOLD if last else REGULAR)
        page.right(RIGHT, y, total, size, BOLD)
        y -= ROW + (1 * mm if position == len(sheet.totals) - 2 else 0)
    page.y = min(bottom, y + ROW) - ROW
    for exemption in sheet.exemptions:
        page.text(LEFT, page.y, exemption, 7.5)
        page.y -= ROW
    for note in sheet.notes:
        page.need(ROW)
        page.text(LEFT, page.y, note[:130], 7.5)
        page.y -= ROW


def _draw_payment(page: DocumentPage, top: float) -> None:
    sheet = page.sheet
    if not sheet.payment_title:
        return
    width, height = 62 * mm, (len(sheet.payment_rows) + 1) * ROW + 3 * mm
    page.canvas.setLineWidth(0.8)
    page.canvas.rect(LEFT, top - height, width, height)
    y = top - 5 * mm
    page.text(LEFT + 3 * mm, y, sheet.payment_title, 9, BOLD)
    for label, value in sheet.payment_rows:
        y -= ROW
        page.text(LEFT + 3 * mm, y, label)
        page.right(LEFT + width - 3 * mm, y, value, 9, BOLD)


def _draw_chart(page: DocumentPage, top: float) -> None:
    """A bar per period with its m³ above it, the current one dark."""
    bars = page.sheet.chart
    if not bars:
        return
    canvas = page.canvas
    page.text(LEFT, top, _("Consumo dos últimos 12 meses (m³)"), 8, BOLD)
    base = top - 33 * mm
    height = 24 * mm
    step = 7.5 * mm
    highest = max((bar.volume for bar in bars), default=Decimal(0)) or Decimal(1)
    for index, bar in enumerate(bars):
        x = LEFT + index * step
        bar_height = float(bar.volume / highest) * height
        canvas.setFillGray(0.15 if bar.current else 0.65)
        canvas.rect(x + 1 * mm, base, step - 2 * mm, bar_height, stroke=0, fill=1)
        canvas.setFillGray(0)
        canvas.setFont(REGULAR, 6)
        canvas.drawCentredString(x + step / 2, base + bar_height + 1 * mm, _volume(bar.volume))
        canvas.drawCentredString(x + step / 2, base - 3 * mm, bar.label)
    canvas.setLineWidth(0.4)
    canvas.line(LEFT, base, LEFT + len(bars) * step, base)


def _draw_qr(page: DocumentPage, top: float) -> None:
    """The ATCUD, then the QR code right below it, as vector squares (one per dark run)."""
    sheet = page.sheet
    canvas = page.canvas
    qr = segno.make(sheet.qr_text, error="m", micro=False, mask=QR_MASK)
    matrix = qr.matrix
    module = QR_SIZE / len(matrix)
    x0 = RIGHT - QR_SIZE
    y0 = top - 4 * mm  # the QR's top edge
    page.right(RIGHT, top, sheet.atcud_label, 9, BOLD)
    path = canvas.beginPath()
    for row_index, row in enumerate(matrix):
        y = y0 - (row_index + 1) * module
        start = None
        for column, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                path.rect(x0 + start * module, y, (column - start) * module, module)
                start = None
    canvas.setFillGray(0)
    canvas.drawPath(path, stroke=0, fill=1)


def draw_sheet(canvas: Canvas, sheet: InvoiceSheet) -> None:
    page = DocumentPage(canvas, sheet)
    canvas.setTitle(f"{sheet.title} {sheet.number}")
    canvas.setAuthor(sheet.utility_name)
    canvas.setSubject(sheet.atcud_label)
    _draw_header(page)
    _draw_flow(page)
    page.need(0, BOTTOM_ZONE_TOP)  # the bottom boxes go on the last page
    top = BOTTOM_ZONE_TOP - 4 * mm
    _draw_payment(page, top)
    _draw_chart(page, top - (27 * mm if sheet.payment_title else 0))
    _draw_qr(page, top + 2 * mm)
    page.footer()
    canvas.showPage()


def render_sheet(sheet: InvoiceSheet) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    with translation.override(settings.LANGUAGE_CODE):
        draw_sheet(canvas, sheet)
    canvas.save()
    return buffer.getvalue()


def render_invoice_pdf(invoice: Invoice) -> bytes:
    """The document's PDF (what ``services.pdfs.keep_invoice_pdf`` stores once)."""
    return render_sheet(sheet_for(invoice))
