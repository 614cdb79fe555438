"""Activation letters as PDF (ReportLab): one A4 page each, for a DL window envelope.

The recipient's address sits where the window of a DL envelope (110 × 220 mm, window
on the left about 20 mm from the edge and 45–50 mm from the top) shows it once the
page is folded in three. Everything about the utility comes from settings.UTILITY.
"""

import dataclasses
import datetime
import io
from dataclasses import dataclass
from html import escape
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from balcao.contracts.activation_keys import format_code

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 22 * mm
RIGHT = PAGE_WIDTH - 20 * mm
# The envelope's window: the address block starts 48 mm below the top edge.
ADDRESS_TOP = PAGE_HEIGHT - 48 * mm

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=14.5)


@dataclass(frozen=True)
class LetterContent:
    """What one letter says; the code is known only while the letter is being printed.

    ``code`` is None in the copy kept under LETTERS_DIR: the code is only on the paper.
    """

    recipient_name: str
    address_lines: list[str]
    code: str | None
    valid_until: datetime.date
    issued_on: datetime.date
    contract_number: str
    cil: str
    supply_address: str
    username: str


def _pt_date(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def _paragraph(canvas: Canvas, text: str, top: float, style=BODY) -> float:
    """Draw a wrapped paragraph whose top is at ``top``; return where the next one starts."""
    paragraph = Paragraph(text, style)
    _, height = paragraph.wrap(RIGHT - LEFT, PAGE_HEIGHT)
    paragraph.drawOn(canvas, LEFT, top - height)
    return top - height - 3 * mm


def draw_letter(canvas: Canvas, content: LetterContent) -> None:
    """One page: the utility's identity, the address in the window, the code and how to use it."""
    utility = settings.UTILITY
    with translation.override(settings.LANGUAGE_CODE):
        canvas.setTitle(_("Código de ativação do Balcão Digital"))
        canvas.setAuthor(utility["name"])

        # The utility's identity, above the window.
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(LEFT, PAGE_HEIGHT - 16 * mm, utility["name"])
        canvas.setFont("Helvetica", 8.5)
        canvas.drawString(LEFT, PAGE_HEIGHT - 21 * mm, utility["address"])
        canvas.drawString(
            LEFT,
            PAGE_HEIGHT - 25 * mm,
            " · ".join(
                (f"NIF {utility['nif']}", utility["phone"], utility["email"], utility["website"])
            ),
        )

        # The recipient, in the window.
        canvas.setFont("Helvetica", 11)
        y = ADDRESS_TOP - 4 * mm
        for line in [content.recipient_name, *content.address_lines]:
            canvas.drawString(LEFT + 3 * mm, y, line)
            y -= 5 * mm

        # The letter.
        top = PAGE_HEIGHT - 100 * mm
        canvas.setFont("Helvetica", 10.5)
        canvas.drawRightString(RIGHT, top + 6 * mm, _pt_date(content.issued_on))
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(LEFT, top, _("Assunto: código de ativação do contrato no Balcão Digital"))
        top -= 8 * mm
        top = _paragraph(
            canvas,
            _(
                "Recebemos no Balcão Digital um pedido do utilizador «%(username)s» para "
                "consultar e gerir o contrato n.º %(contract)s (instalação %(cil)s, %(place)s). "
                "Por segurança, enviamos o código de ativação para a morada de correspondência "
                "do contrato."
            )
            % {
                "username": escape(content.username),
                "contract": escape(content.contract_number),
                "cil": escape(content.cil),
                "place": escape(content.supply_address),
            },
            top,
        )

        # The code, in a box, in a font where every character is distinct.
        top -= 2 * mm
        canvas.setLineWidth(1.2)
        canvas.rect(LEFT, top - 18 * mm, RIGHT - LEFT, 18 * mm)
        canvas.setFont("Helvetica", 10.5)
        canvas.drawString(LEFT + 5 * mm, top - 7 * mm, _("Código de ativação:"))
        if content.code is None:
            canvas.setFont("Helvetica-Oblique", 10.5)
            canvas.drawString(
                LEFT + 5 * mm, top - 14 * mm, _("(só na carta impressa; esta cópia não o guarda)")
            )
        else:
            canvas.setFont("Courier-Bold", 20)
            canvas.drawString(LEFT + 5 * mm, top - 14.5 * mm, format_code(content.code))
        canvas.setFont("Helvetica", 10.5)
        canvas.drawRightString(
            RIGHT - 5 * mm,
            top - 7 * mm,
            _("Válido até %(date)s") % {"date": _pt_date(content.valid_until)},
        )
        top -= 26 * mm

        top = _paragraph(canvas, "<b>{}</b>".format(escape(_("Como ativar o contrato"))), top)
        steps = [
            _("Entre no Balcão Digital em %(site)s com o seu utilizador.")
            % {"site": escape(settings.SITE_URL)},
            _("Abra «Os meus contratos» e escolha o pedido deste contrato."),
            _("Escreva o código no campo «Código de ativação» e carregue em «Validar»."),
        ]
        for number, step in enumerate(steps, start=1):
            top = _paragraph(canvas, f"{number}. {step}", top)
        top = _paragraph(
            canvas,
            _(
                "O código é válido até %(date)s e só pode ser usado uma vez. Depois de cinco "
                "tentativas erradas o pedido fica bloqueado e terá de pedir uma nova carta."
            )
            % {"date": _pt_date(content.valid_until)},
            top - 2 * mm,
        )
        _paragraph(
            canvas,
            _(
                "Se não fez este pedido, não use o código e contacte-nos pelo %(phone)s ou "
                "por %(email)s."
            )
            % {"phone": escape(utility["phone"]), "email": escape(utility["email"])},
            top,
        )

        canvas.setFont("Helvetica", 8)
        canvas.drawString(LEFT, 15 * mm, f"{utility['name']} · NIF {utility['nif']}")
    canvas.showPage()


def render_letters(contents: list[LetterContent]) -> bytes:
    """A PDF with one page per letter, in the order given."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    for content in contents:
        draw_letter(canvas, content)
    canvas.save()
    return buffer.getvalue()


def letter_path(letter_id: int, issued_on: datetime.date) -> str:
    """Where a letter's PDF is kept, relative to settings.LETTERS_DIR."""
    return f"{issued_on:%Y}/{issued_on:%m}/carta-ativacao-{letter_id}.pdf"


def kept_copy(content: LetterContent) -> bytes:
    """The letter as kept under LETTERS_DIR once it is sent: the same page without the code."""
    return render_letters([dataclasses.replace(content, code=None)])


def store_letter(relative_path: str, pdf: bytes) -> Path:
    path = Path(settings.LETTERS_DIR) / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    return path
