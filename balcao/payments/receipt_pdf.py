"""The receipt (RG) as PDF (ReportLab): A4, real text, drawn once after the receipt commits.

What it prints (CIVA art. 36; Portaria 195/2020 for the QR code; DOMAIN.md "Payments"): the
utility's identity and NIF; the customer, NIF and billing address where a DL window envelope
shows it; "Recibo RG 2026A/n", its date and ATCUD; each invoice settled with its date, its
total and the amount settled; the payment method and date; the total received; the ATCUD
right above the AT QR code (document type RG: the AT specification covers every SAF-T
PaymentType), and the ATCUD again in every page's footer.

A receipt is not signed (Portaria 363/2010 signs invoices and credit notes; SAF-T has no
Hash for Payments), so the QR code's Q field is "0" and the footer says "Emitido por
programa certificado" without hash characters.

Same two steps as billing's invoice: ``sheet_for(receipt)`` reads what the page shows into a
``ReceiptSheet`` of plain strings, ``render_sheet(sheet)`` draws it in Portuguese, the
language of the legal document.
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

import segno
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from balcao.billing.invoice_pdf import (
    ADDRESS_FIRST_BASELINE,
    ADDRESS_LEADING,
    ADDRESS_LEFT,
    ADDRESS_LINES,
    ADDRESS_SIZE,
    ADDRESS_WIDTH,
    BOLD,
    LEFT,
    PAGE_HEIGHT,
    QR_MASK,
    QR_SIZE,
    REGULAR,
    RIGHT,
    RIGHT_COLUMN,
    ROW,
    DocumentPage,
)
from balcao.billing.models import DocumentType
from balcao.billing.qr_code import TaxBreakdown, at_qr_string
from balcao.core.money import format_euros
from balcao.payments.models import Receipt

# A receipt carries no signature: the QR code's Q field for an unsigned document.
UNSIGNED_HASH = "0"
# Where the lines must stop above the bottom box (the ATCUD and the QR code).
BOTTOM_ZONE_TOP = 62 * mm
FLOW_FLOOR = 20 * mm


@dataclass(frozen=True)
class ReceiptSheetLine:
    invoice_number: str
    invoice_date: str
    invoice_total: str
    amount: str


@dataclass
class ReceiptSheet:
    """Everything the page prints, as text."""

    title: str
    number: str
    atcud_label: str
    issue_date: str
    utility_name: str
    utility_lines: list[str]
    customer_name: str
    customer_nif: str
    address_lines: list[str]
    account_rows: list[tuple[str, str]]
    lines: list[ReceiptSheetLine]
    total: str
    qr_text: str
    certificate_sentence: str
    footer: str


def _date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def receipt_qr_string(receipt: Receipt) -> str:
    """The AT QR code's text of a receipt: type RG, no tax (I1:0), Q:0 (not signed)."""
    return at_qr_string(
        issuer_nif=settings.UTILITY["nif"],
        customer_nif=receipt.customer_nif,
        document_type=DocumentType.RECEIPT,
        issue_date=receipt.issue_date,
        number=receipt.number,
        atcud=receipt.atcud,
        taxes=TaxBreakdown(),
        total_tax=Decimal("0"),
        gross_total=receipt.gross_total,
        hash_characters=UNSIGNED_HASH,
        certificate_number=settings.BILLING_CERTIFICATE_NUMBER,
    )


def certificate_sentence() -> str:
    """The AT's wording for a document of a certified program that is not signed."""
    return f"Emitido por programa certificado n.º {settings.BILLING_CERTIFICATE_NUMBER}/AT"


def sheet_for(receipt: Receipt) -> ReceiptSheet:
    """What the receipt prints, read from the stored receipt (two queries)."""
    receipt = Receipt.objects.select_related("payment", "account").get(pk=receipt.pk)
    lines = list(receipt.lines.select_related("invoice").order_by("position"))
    payment = receipt.payment
    utility = settings.UTILITY
    with translation.override(settings.LANGUAGE_CODE):
        return ReceiptSheet(
            title=_("Recibo"),
            number=receipt.number,
            atcud_label=receipt.atcud_label,
            issue_date=_date(receipt.issue_date),
            utility_name=utility["name"],
            utility_lines=[
                utility["address"],
                f"NIF {utility['nif']} · {utility['phone']} · {utility['email']}",
                utility["website"],
            ],
            customer_name=receipt.customer_name,
            customer_nif=receipt.customer_nif,
            address_lines=receipt.customer_address.split(", "),
            account_rows=[
                (_("Conta"), receipt.account.account_number),
                (_("Meio de pagamento"), str(payment.get_method_display())),
                (_("Data do pagamento"), _date(timezone.localtime(payment.paid_at).date())),
            ],
            lines=[
                ReceiptSheetLine(
                    invoice_number=line.invoice.number,
                    invoice_date=_date(line.invoice.issue_date),
                    invoice_total=format_euros(line.invoice.gross_total),
                    amount=format_euros(line.amount),
                )
                for line in lines
            ],
            total=format_euros(receipt.gross_total),
            qr_text=receipt_qr_string(receipt),
            certificate_sentence=certificate_sentence(),
            footer=f"{utility['name']} · NIF {utility['nif']}",
        )


# --- Drawing ---------------------------------------------------------------------------


class _Page(DocumentPage):
    """The invoice's page (header again on each new page, the cursor), with the receipt's
    floor and footer."""

    floor = FLOW_FLOOR

    def footer(self) -> None:
        sheet = self.sheet
        self.text(LEFT, 10 * mm, sheet.certificate_sentence, 7.5)
        self.right(RIGHT, 10 * mm, f"{sheet.atcud_label} · {_('Página')} {self.page}", 7.5)
        self.text(LEFT, 6.5 * mm, sheet.footer, 6.5)


def _draw_header(page: _Page) -> None:
    sheet = page.sheet
    top = PAGE_HEIGHT - 16 * mm
    y = top
    page.text(LEFT, y, sheet.utility_name[:60], 10, BOLD)
    y -= 4.4 * mm
    for line in sheet.utility_lines:
        page.text(LEFT, y, line, 7.5)
        y -= 3.6 * mm
    page.text(RIGHT_COLUMN, top, sheet.title, 14, BOLD)
    page.text(RIGHT_COLUMN, top - 6 * mm, sheet.number, 11, BOLD)
    page.text(RIGHT_COLUMN, top - 11 * mm, _("Data de emissão"))
    page.right(RIGHT, top - 11 * mm, sheet.issue_date, 8.5, BOLD)
    page.text(RIGHT_COLUMN, top - 11 * mm - ROW, sheet.atcud_label)

    # The name and address where the invoice puts them: inside a DL envelope's window.
    window: list[str] = []
    for text in [sheet.customer_name, *sheet.address_lines]:
        window += simpleSplit(text, REGULAR, ADDRESS_SIZE, ADDRESS_WIDTH) or [""]
    if len(window) > ADDRESS_LINES:
        window = [*window[: ADDRESS_LINES - 1], window[-1]]
    y = ADDRESS_FIRST_BASELINE
    for line in window:
        page.text(ADDRESS_LEFT, y, line, ADDRESS_SIZE)
        y -= ADDRESS_LEADING
    y = ADDRESS_FIRST_BASELINE
    page.text(RIGHT_COLUMN, y, _("NIF do cliente"))
    page.right(RIGHT, y, sheet.customer_nif)
    for label, value in sheet.account_rows:
        y -= ROW
        page.text(RIGHT_COLUMN, y, label)
        page.right(RIGHT, y, value, 8)
    page.y = PAGE_HEIGHT - 86 * mm


def _draw_lines(page: _Page) -> None:
    sheet = page.sheet
    page.canvas.setLineWidth(0.4)
    page.text(LEFT, page.y, _("Faturas liquidadas por este recibo"), 9.5, BOLD)
    page.canvas.line(LEFT, page.y - 1.3 * mm, RIGHT, page.y - 1.3 * mm)
    page.y -= ROW + 1 * mm
    columns = (LEFT, LEFT + 45 * mm, RIGHT - 40 * mm, RIGHT)
    page.text(columns[0], page.y, _("Fatura"), 7.5, BOLD)
    page.text(columns[1], page.y, _("Data"), 7.5, BOLD)
    page.right(columns[2], page.y, _("Total da fatura"), 7.5, BOLD)
    page.right(columns[3], page.y, _("Valor liquidado"), 7.5, BOLD)
    page.y -= ROW
    for line in sheet.lines:
        page.need(ROW)
        page.text(columns[0], page.y, line.invoice_number, 8.5)
        page.text(columns[1], page.y, line.invoice_date, 8.5)
        page.right(columns[2], page.y, line.invoice_total, 8.5)
        page.right(columns[3], page.y, line.amount, 8.5)
        page.y -= ROW
    page.need(2 * ROW)
    page.canvas.line(RIGHT_COLUMN, page.y + 2.8 * mm, RIGHT, page.y + 2.8 * mm)
    page.y -= 1 * mm
    page.text(RIGHT_COLUMN, page.y, _("Total recebido"), 11, BOLD)
    page.right(RIGHT, page.y, sheet.total, 11, BOLD)
    page.y -= ROW


def _draw_qr(page: _Page, top: float) -> None:
    """The ATCUD, then the QR code right below it (at least 30 × 30 mm), as vector squares."""
    canvas = page.canvas
    qr = segno.make(page.sheet.qr_text, error="m", micro=False, mask=QR_MASK)
    matrix = qr.matrix
    module = QR_SIZE / len(matrix)
    x0 = RIGHT - QR_SIZE
    y0 = top - 4 * mm
    page.right(RIGHT, top, page.sheet.atcud_label, 9, BOLD)
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


def draw_sheet(canvas: Canvas, sheet: ReceiptSheet) -> None:
    page = _Page(canvas, sheet)
    canvas.setTitle(f"{sheet.title} {sheet.number}")
    canvas.setAuthor(sheet.utility_name)
    canvas.setSubject(sheet.atcud_label)
    _draw_header(page)
    _draw_lines(page)
    page.need(0, BOTTOM_ZONE_TOP)  # the QR code goes on the last page, below the lines
    _draw_qr(page, BOTTOM_ZONE_TOP - 2 * mm)
    page.footer()
    canvas.showPage()


def render_sheet(sheet: ReceiptSheet) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    with translation.override(settings.LANGUAGE_CODE):
        draw_sheet(canvas, sheet)
    canvas.save()
    return buffer.getvalue()


def render_receipt_pdf(receipt: Receipt) -> bytes:
    """The receipt's PDF (what ``services.pdfs.keep_receipt_pdf`` stores once)."""
    return render_sheet(sheet_for(receipt))
