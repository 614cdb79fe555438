"""The e-mail that carries an issued invoice to an e-invoice account: the amount, the due
date, how to pay, the link to the invoice's page and the PDF attached; and the one that
carries a credit note: the invoice it cancels, and what that leaves: the amount the customer
had paid of it to refund (all of it, or the part paid: a part payment, a payment plan's
instalments), or nothing to pay.

How to pay is what the PDF says (DOMAIN.md "Payments"): the Multibanco entity, reference and
amount; or, for an account on direct debit, the SEPA pre-notification (issue 13): the amount,
the masked IBAN it is taken from and the debit date, which is the due date, at least
BILLING_DUE_DAYS (≥ 20) after issue and so well over the 5 days the rulebook asks.
"""

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from balcao.billing.documents import direct_debit_notice, invoice_multibanco_reference
from balcao.billing.models import Invoice
from balcao.billing.paid_amounts import ZERO, paid_amount
from balcao.core.links import absolute_url
from balcao.core.mail import render_email
from balcao.core.money import format_euros

TEMPLATE = "billing_invoice_issued"
CREDIT_NOTE_TEMPLATE = "billing_credit_note_issued"


@dataclass(frozen=True)
class HowToPay:
    """One of the two: a Multibanco reference, or a direct debit's pre-notification."""

    direct_debit: bool
    amount: str
    entity: str = ""
    reference: str = ""
    masked_iban: str = ""  # empty when the account's mandate is not active any more
    debit_date: str = ""


def how_to_pay(invoice: Invoice) -> HowToPay:
    """What the invoice's e-mail says about paying it (one query for a direct debit)."""
    amount = format_euros(invoice.gross_total)
    if invoice.account.direct_debit:
        notice = direct_debit_notice(invoice)
        return HowToPay(
            direct_debit=True,
            amount=amount,
            masked_iban=notice.masked_iban if notice else "",
            debit_date=notice.debit_date.strftime("%d/%m/%Y") if notice else "",
        )
    # Paid between issue and sending (a retried message): it still names the reference the
    # invoice was issued with, as its PDF does.
    reference = invoice_multibanco_reference(invoice)
    return HowToPay(
        direct_debit=False,
        amount=amount,
        entity=reference.entity,
        reference=reference.formatted_reference,
    )


def document_email(document: Invoice, *, to: str, pdf: bytes) -> EmailMultiAlternatives:
    """The message for an issued invoice or credit note (its PDF kept) to ``to``."""
    if document.is_credit_note:
        return credit_note_email(document, to=to, pdf=pdf)
    return invoice_email(document, to=to, pdf=pdf)


def _message(
    template: str, context: dict, *, to: str, pdf: bytes, pdf_name: str
) -> EmailMultiAlternatives:
    subject, text, html = render_email(template, context, settings.LANGUAGE_CODE)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    message.attach(PurePosixPath(pdf_name).name, pdf, "application/pdf")
    return message


def _page_url(document: Invoice) -> str:
    return absolute_url(reverse("billing:invoice", kwargs={"invoice_number": document.number}))


def invoice_email(invoice: Invoice, *, to: str, pdf: bytes) -> EmailMultiAlternatives:
    """The message for ``invoice`` (its PDF kept) to ``to``, in Portuguese."""
    context = {
        "invoice": invoice,
        "amount": format_euros(invoice.gross_total),
        "pay": how_to_pay(invoice) if invoice.gross_total > 0 else None,
        "invoice_url": _page_url(invoice),
    }
    return _message(TEMPLATE, context, to=to, pdf=pdf, pdf_name=invoice.pdf.name or "")


def credit_note_email(note: Invoice, *, to: str, pdf: bytes) -> EmailMultiAlternatives:
    """The message for a credit note (its PDF kept) to ``to``, in Portuguese: the invoice it
    cancels and what that leaves, a refund of what the customer had paid of it (all of it or
    a part), else nothing to pay.

    What was paid is counted when the message is written, from the receipts still in force
    (``paid_amounts``): a payment reversed since is not refunded, and none can be added to
    a cancelled invoice."""
    corrected = note.corrects
    paid = paid_amount(corrected) if corrected is not None else ZERO
    context = {
        "note": note,
        "corrected": corrected,
        "amount": format_euros(note.gross_total),
        "refund": format_euros(paid) if paid > ZERO else "",
        "paid_in_full": corrected is not None and paid >= corrected.gross_total,
        "invoice_total": format_euros(corrected.gross_total) if corrected is not None else "",
        "note_url": _page_url(note),
    }
    return _message(CREDIT_NOTE_TEMPLATE, context, to=to, pdf=pdf, pdf_name=note.pdf.name or "")
