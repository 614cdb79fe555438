"""What an issued document shows, derived from what it stored: its VAT summary, the AT QR
code's text, the Multibanco reference and the direct debit's pre-notification (the PDF, the
pages, the e-mails and SAF-T read these)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext

from balcao.billing.computation import VatSummaryLine
from balcao.billing.models import (
    DirectDebitMandate,
    DocumentType,
    Invoice,
    InvoiceLine,
)
from balcao.billing.multibanco import MultibancoReference, multibanco_reference
from balcao.billing.qr_code import TaxBreakdown, at_qr_string
from balcao.core.money import format_euros, round_money

ZERO = Decimal("0")
# Portugal mainland's VAT rates (CIVA art. 18): reduced, intermediate, normal.
REDUCED_RATE = Decimal("6")
INTERMEDIATE_RATE = Decimal("13")
NORMAL_RATE = Decimal("23")


def vat_summary_of(lines: list[InvoiceLine]) -> list[VatSummaryLine]:
    """VAT per rate of stored lines: rate × the sum of its bases, rounded once."""
    groups: dict[tuple[Decimal | None, str], list[InvoiceLine]] = {}
    for line in lines:
        groups.setdefault((line.vat_rate, line.exemption_code), []).append(line)
    summary = []
    for (rate, code), group in groups.items():
        base = sum((line.amount for line in group), ZERO)
        summary.append(
            VatSummaryLine(
                rate=rate,
                exemption_code=code,
                exemption_reason=group[0].exemption_reason,
                base=base,
                vat=round_money(base * rate / 100) if rate is not None else round_money(ZERO),
            )
        )
    summary.sort(key=lambda row: (row.rate is None, -(row.rate or 0), row.exemption_code))
    return summary


def tax_breakdown(summary: list[VatSummaryLine]) -> TaxBreakdown:
    """The QR code's I2–I8 and L from a VAT summary (M99 is not subject: L)."""
    values: dict[str, Decimal] = {}

    def add(name: str, amount: Decimal) -> None:
        values[name] = values.get(name, ZERO) + amount

    for row in summary:
        if row.rate is None:
            add("not_subject" if row.exemption_code == "M99" else "exempt_base", row.base)
        elif row.rate == REDUCED_RATE:
            add("reduced_base", row.base)
            add("reduced_vat", row.vat)
        elif row.rate == INTERMEDIATE_RATE:
            add("intermediate_base", row.base)
            add("intermediate_vat", row.vat)
        elif row.rate == NORMAL_RATE:
            add("normal_base", row.base)
            add("normal_vat", row.vat)
        else:
            raise ValueError(f"VAT rate {row.rate} % is not a Portuguese mainland rate.")
    return TaxBreakdown(**values)


def qr_string(invoice: Invoice) -> str:
    """The AT QR code's text of an issued document (Portaria 195/2020)."""
    return at_qr_string(
        issuer_nif=settings.UTILITY["nif"],
        customer_nif=invoice.customer_nif,
        document_type=invoice.document_type,
        issue_date=invoice.issue_date,
        number=invoice.number,
        atcud=invoice.atcud,
        taxes=tax_breakdown(vat_summary_of(list(invoice.lines.all()))),
        total_tax=invoice.vat_total,
        gross_total=invoice.gross_total,
        hash_characters=invoice.hash_characters,
        certificate_number=settings.BILLING_CERTIFICATE_NUMBER,
    )


def multibanco_for(invoice: Invoice) -> MultibancoReference | None:
    """The Multibanco reference while the invoice is unpaid and its account has no direct
    debit (DOMAIN.md "Payments"); None otherwise. The id is the invoice's sequence."""
    if invoice.document_type != DocumentType.INVOICE or not invoice.is_open:
        return None
    if invoice.account.direct_debit:
        return None
    return invoice_multibanco_reference(invoice)


def invoice_multibanco_reference(invoice: Invoice) -> MultibancoReference:
    """The invoice's Multibanco reference, whatever its account's way of paying: the one a
    returned direct debit shows (payments), or the one the PDF was issued with."""
    return multibanco_reference(
        entity=settings.MULTIBANCO_ENTITY,
        sub_entity=settings.MULTIBANCO_SUB_ENTITY,
        document_id=invoice.sequence,
        amount=invoice.gross_total,
    )


@dataclass(frozen=True)
class DirectDebitNotice:
    """The SEPA pre-notification of a debit: how much, from which account, on which day."""

    amount: Decimal
    masked_iban: str
    debit_date: datetime.date

    @property
    def text(self) -> str:
        """One sentence for the invoice page, the PDF and the invoice e-mail."""
        return gettext("O montante de %(amount)s será debitado na conta %(iban)s em %(date)s.") % {
            "amount": format_euros(self.amount),
            "iban": self.masked_iban,
            "date": date_format(self.debit_date, "d/m/Y"),
        }


def direct_debit_notice(
    invoice: Invoice, mandate: DirectDebitMandate | None = None
) -> DirectDebitNotice | None:
    """What a direct-debit account's invoice says before the debit (DOMAIN.md "Direct
    debit": the amount, the masked account and the debit date, the invoice's due date);
    None for an invoice not paid by direct debit. ``mandate``: the account's mandate in
    force, when the caller read it already (one query less)."""
    if invoice.document_type != DocumentType.INVOICE or invoice.due_date is None:
        return None
    if not invoice.account.direct_debit or invoice.gross_total <= 0:
        return None
    if mandate is None:
        mandate = (
            DirectDebitMandate.objects.filter(
                account_id=invoice.account_id, status=DirectDebitMandate.Status.ACTIVE
            )
            .only("iban")
            .first()
        )
    if mandate is None:
        return None
    return DirectDebitNotice(
        amount=invoice.gross_total, masked_iban=mandate.masked_iban, debit_date=invoice.due_date
    )
