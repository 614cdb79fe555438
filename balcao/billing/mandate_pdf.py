"""The signed direct debit mandate as its debtor keeps it: one A4 page (ReportLab), with
the EPC's authorisation wording the customer accepted (DOMAIN.md, "Direct debit")."""

import io
from html import escape

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from balcao.billing.models import DirectDebitMandate

TITLE = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=15, leading=19)
HEADING = ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=11, leading=15)
BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=14)


def _rows(mandate: DirectDebitMandate) -> list[tuple[str, str]]:
    return [
        (_("Referência da autorização"), mandate.reference),
        (_("Tipo de pagamento"), mandate.get_payment_type_display()),
        (_("Nome do devedor"), mandate.debtor_name),
        (_("Morada do devedor"), mandate.debtor_address),
        (_("IBAN"), mandate.masked_iban),
        (_("BIC"), mandate.bic or "—"),
        (_("Nome do credor"), mandate.creditor_name),
        (_("Morada do credor"), mandate.creditor_address),
        (_("Identificador do credor"), mandate.creditor_identifier),
        (
            _("Local e data de aceitação"),
            f"{mandate.signed_place}, {mandate.signed_at:%d/%m/%Y}".lstrip(", "),
        ),
    ]


def mandate_pdf(mandate: DirectDebitMandate) -> bytes:
    """The mandate as a PDF whose text can be read and searched (no image of text). The
    account shows masked, as on the page: the PDF may be forwarded or printed."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=_("Autorização de débito direto %(reference)s") % {"reference": mandate.reference},
        author=mandate.creditor_name,
    )
    table = Table(
        [[Paragraph(escape(k), HEADING), Paragraph(escape(v), BODY)] for k, v in _rows(mandate)],
        colWidths=[55 * mm, None],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [
        Paragraph(escape(_("Autorização de Débito Direto SEPA (ADD)")), TITLE),
        Spacer(0, 6 * mm),
        table,
        Spacer(0, 6 * mm),
        Paragraph(escape(_("Autorização")), HEADING),
        Spacer(0, 2 * mm),
        Paragraph(escape(mandate.authorisation_text), BODY),
        Spacer(0, 4 * mm),
        Paragraph(
            escape(
                _(
                    "Aceite pelo devedor no Balcão Digital em %(date)s. Guarde este documento: "
                    "é a sua cópia da autorização."
                )
                % {"date": mandate.signed_at.strftime("%d/%m/%Y")}
            ),
            BODY,
        ),
    ]
    if mandate.status == DirectDebitMandate.Status.CANCELLED:
        story.append(Paragraph(escape(_("Esta autorização foi cancelada.")), HEADING))
    document.build(story)
    return buffer.getvalue()


def active_mandate(account) -> DirectDebitMandate | None:
    """The account's mandate in force, if any (one at most: a constraint says so)."""
    return DirectDebitMandate.objects.filter(
        account=account, status=DirectDebitMandate.Status.ACTIVE
    ).first()
