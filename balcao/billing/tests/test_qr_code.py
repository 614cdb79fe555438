"""The AT QR code's text (Portaria 195/2020; DOMAIN.md "Invoices")."""

import datetime
from decimal import Decimal as D

from balcao.billing.qr_code import TaxBreakdown, at_qr_string


def test_the_specifications_example():
    text = at_qr_string(
        issuer_nif="123456789",
        customer_nif="",
        document_type="FS",
        issue_date=datetime.date(2019, 8, 12),
        number="FS CDVF/12345",
        atcud="CDF7T5HD-12345",
        taxes=TaxBreakdown(normal_base=D("0.65"), normal_vat=D("0.15")),
        total_tax=D("0.15"),
        gross_total=D("0.80"),
        hash_characters="YhGV",
        certificate_number="9999",
    )
    assert text == (
        "A:123456789*B:999999990*C:PT*D:FS*E:N*F:20190812*G:FS CDVF/12345*"
        "H:CDF7T5HD-12345*I1:PT*I7:0.65*I8:0.15*N:0.15*O:0.80*Q:YhGV*R:9999"
    )


def test_a_water_invoice_with_6_percent_and_a_not_subject_part():
    # The 10 m³ / 30 days bill of the demo tariff: 6 % base 10.25, VAT 0.62; not subject
    # (M99) 15.87; total 26.74. I3/I4 reduced rate, L not subject; I2, I5–I8 left out.
    text = at_qr_string(
        issuer_nif="680012773",
        customer_nif="232013969",
        document_type="FT",
        issue_date=datetime.date(2026, 10, 31),
        number="FT 2026A/35",
        atcud="CSDF7T5H-35",
        taxes=TaxBreakdown(reduced_base=D("10.25"), reduced_vat=D("0.62"), not_subject=D("15.87")),
        total_tax=D("0.62"),
        gross_total=D("26.74"),
        hash_characters="ab+C",
        certificate_number="9999",
    )
    assert text == (
        "A:680012773*B:232013969*C:PT*D:FT*E:N*F:20261031*G:FT 2026A/35*H:CSDF7T5H-35*"
        "I1:PT*I3:10.25*I4:0.62*L:15.87*N:0.62*O:26.74*Q:ab+C*R:9999"
    )


def test_a_document_without_vat_says_i1_0():
    text = at_qr_string(
        issuer_nif="680012773",
        customer_nif="232013969",
        document_type="FT",
        issue_date=datetime.date(2026, 10, 31),
        number="FT 2026A/36",
        atcud="CSDF7T5H-36",
        taxes=TaxBreakdown(not_subject=D("1234.5")),
        total_tax=D("0"),
        gross_total=D("1234.5"),
        hash_characters="abcd",
        certificate_number="9999",
    )
    # amounts: 2 decimals, a dot, no thousands separator
    assert "*I1:0*L:1234.50*N:0.00*O:1234.50*" in text
