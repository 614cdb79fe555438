"""The AT QR code's text (Portaria 195/2020; AT "Especificações técnicas código QR").

Fields in a fixed order, each ``CODE:value``, joined by ``*``: A issuer NIF, B customer NIF
(999999990 when none), C customer country, D document type, E status, F date YYYYMMDD,
G document number, H ATCUD, I1 tax region and I2–I8 its bases and taxes (exempt base,
reduced base and VAT, intermediate base and VAT, normal base and VAT), L not-subject
amount, M stamp duty, N total tax, O total with tax, P withholding, Q the 4 hash
characters, R certificate number, S other information. Optional fields with nothing to say
are left out; amounts have 2 decimals and a dot. DOMAIN.md's example from the
specification: ``A:123456789*B:999999990*C:PT*D:FS*E:N*F:20190812*G:FS CDVF/12345*
H:CDF7T5HD-12345*I1:PT*I7:0.65*I8:0.15*N:0.15*O:0.80*Q:YhGV*R:9999``.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from balcao.core.money import round_money

FINAL_CONSUMER_NIF = "999999990"
ZERO = Decimal("0")


@dataclass(frozen=True)
class TaxBreakdown:
    """The I2–I8 and L amounts of one tax region (Portugal mainland: I1 = PT)."""

    exempt_base: Decimal = ZERO  # I2
    reduced_base: Decimal = ZERO  # I3
    reduced_vat: Decimal = ZERO  # I4
    intermediate_base: Decimal = ZERO  # I5
    intermediate_vat: Decimal = ZERO  # I6
    normal_base: Decimal = ZERO  # I7
    normal_vat: Decimal = ZERO  # I8
    not_subject: Decimal = ZERO  # L


def amount(value: Decimal) -> str:
    """2 decimals with a dot, no thousands separator (the specification's format)."""
    return f"{round_money(value):.2f}"


def at_qr_string(
    *,
    issuer_nif: str,
    customer_nif: str,
    document_type: str,
    issue_date: datetime.date,
    number: str,
    atcud: str,
    taxes: TaxBreakdown,
    total_tax: Decimal,
    gross_total: Decimal,
    hash_characters: str,
    certificate_number: str,
    customer_country: str = "PT",
    status: str = "N",
    tax_region: str = "PT",
    stamp_duty: Decimal = ZERO,
    withholding: Decimal = ZERO,
    other_information: str = "",
) -> str:
    """The QR code's text for one document, fields A…S in the specification's order."""
    regional = [
        ("I2", taxes.exempt_base),
        ("I3", taxes.reduced_base),
        ("I4", taxes.reduced_vat),
        ("I5", taxes.intermediate_base),
        ("I6", taxes.intermediate_vat),
        ("I7", taxes.normal_base),
        ("I8", taxes.normal_vat),
    ]
    taxed = [(code, amount(value)) for code, value in regional if value]
    fields: list[tuple[str, str]] = [
        ("A", issuer_nif),
        ("B", customer_nif or FINAL_CONSUMER_NIF),
        ("C", customer_country),
        ("D", document_type),
        ("E", status),
        ("F", f"{issue_date:%Y%m%d}"),
        ("G", number),
        ("H", atcud),
        # A document without any VAT base says I1:0 (the specification's "sem IVA").
        ("I1", tax_region if taxed else "0"),
        *taxed,
    ]
    if taxes.not_subject:
        fields.append(("L", amount(taxes.not_subject)))
    if stamp_duty:
        fields.append(("M", amount(stamp_duty)))
    fields += [("N", amount(total_tax)), ("O", amount(gross_total))]
    if withholding:
        fields.append(("P", amount(withholding)))
    fields += [("Q", hash_characters), ("R", certificate_number)]
    if other_information:
        fields.append(("S", other_information))
    return "*".join(f"{code}:{value}" for code, value in fields)
