"""The monthly SAF-T (PT) file: valid against the official XSD 1.1, totals that add up."""

import datetime
import xml.etree.ElementTree as ET  # noqa: S405 - parses the file the test just wrote
from decimal import Decimal as D
from functools import cache
from pathlib import Path

import pytest
import time_machine
import xmlschema
from django.conf import settings

from balcao.billing.saft import write_saft
from balcao.billing.services.invoices import issue_credit_note
from balcao.billing.tests.factories import issue_for_period
from balcao.contracts.tests.factories import ContractFactory

pytestmark = pytest.mark.django_db

XSD = Path(settings.BASE_DIR) / "data" / "saft" / "SAFTPT1.04_01.xsd"
NS = {"s": "urn:OECD:StandardAuditFile-Tax:PT_1.04_01"}
SEPTEMBER = (datetime.date(2026, 9, 1), datetime.date(2026, 9, 30))
OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 31))


@cache
def schema():
    return xmlschema.XMLSchema11(str(XSD))


def issue(contract, tariff, period, volume, issue_date, **kwargs):
    return issue_for_period(contract, tariff, period, volume, issue_date=issue_date, **kwargs)


def export(tmp_path, month="2026-10"):
    """billing's part of the file (``manage.py export_saft`` is payments': it adds Payments)."""
    path = tmp_path / f"saft-{month}.xml"
    with path.open("wb") as handle:
        write_saft(handle, month=datetime.datetime.strptime(month, "%Y-%m").date())
    return path


def amounts(root, path):
    return sum((D(node.text) for node in root.iterfind(path, NS)), D("0"))


@time_machine.travel("2026-11-05 09:00+00:00", tick=False)
def test_the_month_file_validates_and_its_totals_are_the_documents(
    demo_tariff, clerk, tmp_path, capsys
):
    ana = ContractFactory(customer__name="Ana Silva", customer__nif="232013969")
    shop = ContractFactory(customer__name="Padaria São João, Lda.", customer__nif="503504564")
    # August's invoice of ana, issued in September: not in October's file
    issue(ana, demo_tariff, SEPTEMBER, "7", datetime.date(2026, 9, 30))
    wrong = issue(ana, demo_tariff, OCTOBER, "40", datetime.date(2026, 10, 2), actor=clerk)
    issue(shop, demo_tariff, OCTOBER, "0", datetime.date(2026, 10, 2))
    note = issue_credit_note(
        invoice=wrong, reason="Leitura mal registada.", issue_date=datetime.date(2026, 10, 9)
    )
    right = issue(ana, demo_tariff, OCTOBER, "10", datetime.date(2026, 10, 9))

    path = export(tmp_path)

    schema().validate(str(path))  # raises with the first error
    assert path.read_bytes().startswith(b'<?xml version="1.0" encoding="windows-1252"?>')
    root = ET.parse(path).getroot()  # noqa: S314
    header = root.find("s:Header", NS)
    assert header.findtext("s:TaxRegistrationNumber", namespaces=NS) == "680012773"
    assert header.findtext("s:TaxAccountingBasis", namespaces=NS) == "F"
    assert header.findtext("s:SoftwareCertificateNumber", namespaces=NS) == "9999"
    assert header.findtext("s:ProductID", namespaces=NS) == "Balcão Digital/SMAS de Leiria"
    assert header.findtext("s:StartDate", namespaces=NS) == "2026-10-01"
    assert header.findtext("s:EndDate", namespaces=NS) == "2026-10-31"

    sales = root.find("s:SourceDocuments/s:SalesInvoices", NS)
    documents = sales.findall("s:Invoice", NS)
    numbers = [node.findtext("s:InvoiceNo", namespaces=NS) for node in documents]
    assert numbers == ["FT 2026A/2", "FT 2026A/3", "FT 2026A/4", "NC 2026A/1"]
    assert sales.findtext("s:NumberOfEntries", namespaces=NS) == "4"
    # the control totals are the sums of the lines, and of the documents' net totals
    total_credit = D(sales.findtext("s:TotalCredit", namespaces=NS))
    total_debit = D(sales.findtext("s:TotalDebit", namespaces=NS))
    assert total_credit == amounts(sales, "s:Invoice/s:Line/s:CreditAmount")
    assert total_debit == amounts(sales, "s:Invoice/s:Line/s:DebitAmount")
    shop_invoice = shop.invoices.get()
    assert total_credit == wrong.net_total + right.net_total + shop_invoice.net_total
    assert total_debit == note.net_total
    assert amounts(sales, "s:Invoice/s:DocumentTotals/s:GrossTotal") == (
        wrong.gross_total + right.gross_total + shop_invoice.gross_total + note.gross_total
    )

    first = documents[0]
    assert first.findtext("s:ATCUD", namespaces=NS) == wrong.atcud
    # cancelled by the credit note, the invoice stays normal
    assert first.findtext("s:DocumentStatus/s:InvoiceStatus", namespaces=NS) == "N"
    assert first.findtext("s:DocumentStatus/s:SourceID", namespaces=NS) == clerk.username
    assert first.findtext("s:Hash", namespaces=NS) == wrong.hash
    assert first.findtext("s:HashControl", namespaces=NS) == "1"
    assert first.findtext("s:Period", namespaces=NS) == "10"
    assert first.findtext("s:InvoiceType", namespaces=NS) == "FT"
    water = first.find("s:Line", NS)
    assert water.findtext("s:ProductCode", namespaces=NS) == "water"
    assert water.findtext("s:Tax/s:TaxCode", namespaces=NS) == "RED"
    assert water.findtext("s:Tax/s:TaxPercentage", namespaces=NS) == "6"
    exempt = [
        line
        for line in first.findall("s:Line", NS)
        if line.findtext("s:Tax/s:TaxCode", namespaces=NS) == "ISE"
    ]
    assert exempt and all(
        line.findtext("s:TaxExemptionCode", namespaces=NS) == "M99" for line in exempt
    )
    credit = documents[3]
    assert credit.findtext("s:InvoiceType", namespaces=NS) == "NC"
    assert credit.findtext("s:Line/s:References/s:Reference", namespaces=NS) == wrong.number
    assert credit.find("s:Line/s:CreditAmount", NS) is None

    customers = root.findall("s:MasterFiles/s:Customer", NS)
    assert sorted(c.findtext("s:CustomerTaxID", namespaces=NS) for c in customers) == [
        "232013969",
        "503504564",
    ]
    taxes = root.findall("s:MasterFiles/s:TaxTable/s:TaxTableEntry", NS)
    assert [t.findtext("s:TaxCode", namespaces=NS) for t in taxes] == ["RED", "ISE"]


def test_a_customer_without_nif_is_the_final_consumer_and_an_empty_month_validates(
    demo_tariff, tmp_path
):
    contract = ContractFactory(customer__nif="999999990")
    issue(contract, demo_tariff, OCTOBER, "5", datetime.date(2026, 11, 2))
    root = ET.parse(export(tmp_path, "2026-11")).getroot()  # noqa: S314
    customer = root.find("s:MasterFiles/s:Customer", NS)
    assert customer.findtext("s:CustomerTaxID", namespaces=NS) == "999999990"
    assert customer.findtext("s:CompanyName", namespaces=NS) == "Consumidor final"
    schema().validate(str(tmp_path / "saft-2026-11.xml"))

    empty = export(tmp_path, "2026-12")
    schema().validate(str(empty))
    sales = ET.parse(empty).getroot().find("s:SourceDocuments/s:SalesInvoices", NS)  # noqa: S314
    assert sales.findtext("s:NumberOfEntries", namespaces=NS) == "0"
    assert sales.findtext("s:TotalCredit", namespaces=NS) == "0.00"
