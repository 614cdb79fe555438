"""The written cut-off warning, "Aviso de interrupção do fornecimento" (Lei 23/96 art. 5),
as PDF (ReportLab): one A4 page per invoice, the address in the window of a DL envelope
(the layout of the contracts' activation letters), the debt, how to pay it, and the
earliest date the supply may be cut off, at least 20 days after the warning."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from balcao.billing.multibanco import MultibancoReference
from balcao.contracts.letters import ADDRESS_TOP, BODY, LEFT, PAGE_HEIGHT, RIGHT


@dataclass(frozen=True)
class WarningLetter:
    recipient_name: str
    address_lines: list[str]
    warning_date: datetime.date
    cut_off_date: datetime.date
    invoice_number: str
    issue_date: datetime.date
    due_date: datetime.date
    amount: Decimal
    contract_number: str
    cil: str
    multibanco: MultibancoReference | None


def _date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _euros(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",") + " €"


def _paragraph(canvas: Canvas, text: str, top: float) -> float:
    paragraph = Paragraph(text, BODY)
    _width, height = paragraph.wrap(RIGHT - LEFT, PAGE_HEIGHT)
    paragraph.drawOn(canvas, LEFT, top - height)
    return top - height - 3 * mm


def draw_warning(canvas: Canvas, letter: WarningLetter) -> None:
    utility = settings.UTILITY
    with translation.override(settings.LANGUAGE_CODE):
        canvas.setTitle(_("Aviso de interrupção do fornecimento"))
        canvas.setAuthor(utility["name"])
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(LEFT, PAGE_HEIGHT - 16 * mm, utility["name"])
        canvas.setFont("Helvetica", 8.5)
        canvas.drawString(LEFT, PAGE_HEIGHT - 21 * mm, utility["address"])
        canvas.drawString(
            LEFT,
            PAGE_HEIGHT - 25 * mm,
            " · ".join((f"NIF {utility['nif']}", utility["phone"], utility["email"])),
        )

        canvas.setFont("Helvetica", 11)
        y = ADDRESS_TOP - 4 * mm
        for line in [letter.recipient_name, *letter.address_lines]:
            canvas.drawString(LEFT + 3 * mm, y, line)
            y -= 5 * mm

        top = PAGE_HEIGHT - 100 * mm
        canvas.setFont("Helvetica", 10.5)
        canvas.drawRightString(RIGHT, top + 6 * mm, _date(letter.warning_date))
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(LEFT, top, _("Assunto: Aviso de interrupção do fornecimento"))
        top -= 8 * mm
        top = _paragraph(
            canvas,
            _(
                "A fatura %(number)s, emitida em %(issued)s, do contrato n.º %(contract)s "
                "(instalação %(cil)s), no valor em dívida de %(amount)s, devia ter sido paga "
                "até %(due)s e, até hoje, não recebemos o pagamento."
            )
            % {
                "number": escape(letter.invoice_number),
                "issued": _date(letter.issue_date),
                "contract": escape(letter.contract_number),
                "cil": escape(letter.cil),
                "amount": _euros(letter.amount),
                "due": _date(letter.due_date),
            },
            top,
        )
        top = _paragraph(
            canvas,
            "<b>{}</b>".format(
                escape(
                    _(
                        "Se a fatura não for paga, o fornecimento de água pode ser interrompido "
                        "a partir de %(date)s."
                    )
                    % {"date": _date(letter.cut_off_date)}
                )
            ),
            top,
        )
        top = _paragraph(
            canvas,
            _(
                "Este aviso é feito por escrito com a antecedência mínima de 20 dias que a lei "
                "exige (Lei n.º 23/96, de 26 de julho, artigo 5.º)."
            ),
            top,
        )
        if letter.multibanco is not None:
            top = _paragraph(
                canvas,
                _(
                    "Pode pagar por Multibanco: entidade %(entity)s, referência %(reference)s, "
                    "montante %(amount)s."
                )
                % {
                    "entity": letter.multibanco.entity,
                    "reference": letter.multibanco.formatted_reference,
                    "amount": _euros(letter.multibanco.amount),
                },
                top,
            )
        _paragraph(
            canvas,
            _(
                "Se já pagou, ignore este aviso. Se discorda da fatura, pode reclamar dela no "
                "Balcão Digital (%(site)s), na fatura, em «Reclamar desta fatura»: enquanto a "
                "reclamação estiver em análise, o fornecimento não é interrompido por esta "
                "fatura. Também pode pedir o pagamento em prestações. Contacte-nos pelo "
                "%(phone)s ou por %(email)s."
            )
            % {
                "site": escape(settings.SITE_URL),
                "phone": escape(utility["phone"]),
                "email": escape(utility["email"]),
            },
            top,
        )
        canvas.setFont("Helvetica", 8)
        canvas.drawString(LEFT, 15 * mm, f"{utility['name']} · NIF {utility['nif']}")
    canvas.showPage()


def render_warnings(letters: list[WarningLetter]) -> bytes:
    """One PDF, one page per warning, in the order given (to print and post)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    for letter in letters:
        draw_warning(canvas, letter)
    canvas.save()
    return buffer.getvalue()
