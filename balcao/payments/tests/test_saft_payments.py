"""``manage.py export_saft``: the month's file with its receipts (Payments), valid against the
official XSD 1.1; a cancelled receipt is "A", counted but out of the control totals."""

import datetime
import io
import xml.etree.ElementTree as ET  # noqa: S405 - parses the file the test just wrote
from decimal import Decimal as D
from functools import cache
from pathlib import Path

import pytest
import time_machine
import xmlschema
from django.conf import settings
from django.core.management import call_command

from balcao.billing.tests.factories import issue_month_invoice
from balcao.contracts.tests.factories import ContractFactory
from balcao.payments.models import PaymentMethod
from balcao.payments.services.receipts import reverse_payment
from balcao.payments.tests.factories import pay_invoice

pytestmark = pytest.mark.django_db

XSD = Path(settings.BASE_DIR) / "data" / "saft" / "SAFTPT1.04_01.xsd"
NS = {"s": "urn:OECD:StandardAuditFile-Tax:PT_1.04_01"}


@cache
def schema():
    return xmlschema.XMLSchema11(str(XSD))


def export(tmp_path, month):
    path = tmp_path / f"saft-{month}.xml"
    out = io.StringIO()
    call_command("export_saft", month=month, output=str(path), stdout=out)
    return path, out.getvalue()


def text(node, path):
    return node.findtext(path, namespaces=NS)


def test_the_months_receipts_are_its_payments_section(ana, clerk, tmp_path):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    # A customer with no invoice in October, who paid September's invoice in October:
    # MasterFiles must list him for his receipt.
    other = ContractFactory(customer__name="Padaria São João, Lda.", customer__nif="503504564")
    with time_machine.travel("2026-10-02 09:00+00:00", tick=False):
        august = issue_month_invoice(casa, datetime.date(2026, 8, 1))
        september = issue_month_invoice(casa, datetime.date(2026, 9, 1))
        bakery = issue_month_invoice(other, datetime.date(2026, 9, 1))
    with time_machine.travel("2026-10-20 15:30+00:00", tick=False):
        both = pay_invoice(august, september, method=PaymentMethod.MULTIBANCO, actor=clerk)
        wrong = pay_invoice(bakery, method=PaymentMethod.CASH, actor=clerk)
    with time_machine.travel("2026-10-21 09:00+00:00", tick=False):
        reverse_payment(wrong, reason="Registado na conta errada.", actor=clerk)
    with time_machine.travel("2026-10-22 09:00+00:00", tick=False):
        right = pay_invoice(bakery, method=PaymentMethod.TRANSFER)
    with time_machine.travel("2026-11-02 09:00+00:00", tick=False):
        path, output = export(tmp_path, "2026-10")

    schema().validate(str(path))  # raises with the first error
    assert "3 receipts" in output
    root = ET.parse(path).getroot()  # noqa: S314
    payments = root.find("s:SourceDocuments/s:Payments", NS)
    assert text(payments, "s:NumberOfEntries") == "3"  # the cancelled one counts
    assert text(payments, "s:TotalDebit") == "0.00"
    # the control total leaves the cancelled receipt out
    assert D(text(payments, "s:TotalCredit")) == both.amount + right.amount
    documents = payments.findall("s:Payment", NS)
    assert [text(d, "s:PaymentRefNo") for d in documents] == [
        "RG 2026A/1",
        "RG 2026A/2",
        "RG 2026A/3",
    ]

    first = documents[0]
    assert text(first, "s:ATCUD") == both.receipt.atcud
    assert text(first, "s:Period") == "10"
    assert text(first, "s:TransactionDate") == "2026-10-20"
    assert text(first, "s:PaymentType") == "RG"
    assert text(first, "s:DocumentStatus/s:PaymentStatus") == "N"
    assert text(first, "s:DocumentStatus/s:SourceID") == clerk.username
    assert text(first, "s:DocumentStatus/s:SourcePayment") == "P"
    assert text(first, "s:PaymentMethod/s:PaymentMechanism") == "MB"
    assert D(text(first, "s:PaymentMethod/s:PaymentAmount")) == both.amount
    assert text(first, "s:PaymentMethod/s:PaymentDate") == "2026-10-20"
    lines = first.findall("s:Line", NS)
    assert [text(line, "s:SourceDocumentID/s:OriginatingON") for line in lines] == [
        august.number,
        september.number,
    ]
    assert [text(line, "s:SourceDocumentID/s:InvoiceDate") for line in lines] == [
        f"{august.issue_date}",
        f"{september.issue_date}",
    ]
    assert [D(text(line, "s:CreditAmount")) for line in lines] == [
        august.gross_total,
        september.gross_total,
    ]
    assert text(first, "s:DocumentTotals/s:TaxPayable") == "0.00"
    assert D(text(first, "s:DocumentTotals/s:GrossTotal")) == both.amount

    cancelled = documents[1]
    assert text(cancelled, "s:DocumentStatus/s:PaymentStatus") == "A"
    assert text(cancelled, "s:DocumentStatus/s:Reason") == "Registado na conta errada."
    assert text(cancelled, "s:DocumentStatus/s:PaymentStatusDate") == "2026-10-21T10:00:00"
    assert text(cancelled, "s:PaymentMethod/s:PaymentMechanism") == "NU"
    assert text(documents[2], "s:PaymentMethod/s:PaymentMechanism") == "TB"
    assert text(documents[2], "s:SourceID") == "pagamentos"

    customers = {
        text(c, "s:CustomerID"): text(c, "s:CustomerTaxID")
        for c in root.findall("s:MasterFiles/s:Customer", NS)
    }
    assert customers == {
        casa.customer.customer_number: "232013969",
        other.customer.customer_number: "503504564",
    }
    # the receipts follow the month's invoices, in the schema's order
    sections = [child.tag.split("}")[1] for child in root.find("s:SourceDocuments", NS)]
    assert sections == ["SalesInvoices", "Payments"]


def test_a_month_without_receipts_has_an_empty_payments_section(tmp_path):
    path, _output = export(tmp_path, "2026-12")
    schema().validate(str(path))
    payments = ET.parse(path).getroot().find("s:SourceDocuments/s:Payments", NS)  # noqa: S314
    assert text(payments, "s:NumberOfEntries") == "0"
    assert text(payments, "s:TotalCredit") == "0.00"
