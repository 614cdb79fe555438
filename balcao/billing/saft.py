"""The monthly SAF-T (PT) 1.04_01 file of the invoicing (Portaria 302/2016; DOMAIN.md).

``write_saft(output, month=…)`` writes Header, MasterFiles (the month's customers, the
services as products, the tax table) and SourceDocuments/SalesInvoices with every invoice
and credit note issued in the month; the apps above billing add their SourceDocuments
sections after it (``sections``: payments' receipts are ``Payments``, written by
``balcao.payments.saft``; ``manage.py export_saft`` is payments' and composes both).
Streamed: the control totals come from one aggregate query first, then the documents are
read in chunks and written as they come, so a month of 10⁵ invoices never sits in memory.
Windows-1252, as the AT's files are (characters outside it become character references).
The schema is ``data/saft/SAFTPT1.04_01.xsd`` (XSD 1.1).

Readings of the rules, decided here:
- An invoice cancelled by a credit note stays ``N`` (normal): the credit note is the
  correction, itself ``N``, with the invoice in its lines' ``References``.
- Invoice lines are ``CreditAmount`` (revenue), credit notes' lines ``DebitAmount``. SAF-T
  has no negative amounts: a line that gives money back (an acerto down in an invoice) is
  written on the other side with its absolute quantity and amount, so a document's
  ``NetTotal`` is its credits less its debits. ``TotalCredit`` and ``TotalDebit`` are the
  sums of the lines' ``CreditAmount`` and ``DebitAmount`` (no document here is ``A``/``F``).
- A customer is the contract holder's customer number; a document issued to 999999990 is
  the AT's "Consumidor final" customer.
- ``TaxPointDate`` is the period's last day (the supply ends then).
"""

import datetime
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Protocol

# xml.sax here only writes XML (it never parses any): bandit's B406 is about parsing.
from xml.sax.saxutils import XMLGenerator  # nosec B406
from xml.sax.xmlreader import AttributesImpl  # nosec B406

from django.conf import settings
from django.db.models import Q, Sum
from django.db.models.functions import Abs
from django.utils import timezone, translation

from balcao.billing.computation import LineKind, Service
from balcao.billing.documents import INTERMEDIATE_RATE, NORMAL_RATE, REDUCED_RATE
from balcao.billing.models import DocumentType, Invoice, InvoiceLine
from balcao.billing.qr_code import FINAL_CONSUMER_NIF

NAMESPACE = "urn:OECD:StandardAuditFile-Tax:PT_1.04_01"
VERSION = "1.04_01"
PRODUCT_NAME = "Balcão Digital"
PRODUCT_VERSION = "0.1.0"
FINAL_CONSUMER_ID = "CONSUMIDOR-FINAL"
UNKNOWN = "Desconhecido"
TAX_CODES = {REDUCED_RATE: "RED", INTERMEDIATE_RATE: "INT", NORMAL_RATE: "NOR"}
TAX_DESCRIPTIONS = {"RED": "Taxa reduzida", "INT": "Taxa intermédia", "NOR": "Taxa normal"}
EXEMPT_CODE = "ISE"
POSTAL = re.compile(r"^(\d{4}-\d{3})\s+(.+)$")
CHUNK = 2000
NO_ATTRIBUTES: AttributesImpl = AttributesImpl({})


# A customer as MasterFiles lists it: (customer number, NIF, name, billing address).
CustomerRow = tuple[str, str, str, str]


class SaftSection(Protocol):
    """A SourceDocuments section that an app above billing writes after SalesInvoices
    (the schema's order: SalesInvoices, MovementOfGoods, WorkingDocuments, Payments)."""

    def customers(self) -> Iterable[CustomerRow]:
        """The customers its documents name (MasterFiles must list each CustomerID)."""
        ...

    def write(self, writer: "SaftWriter") -> None: ...


@dataclass(frozen=True)
class SaftSummary:
    month: datetime.date
    number_of_entries: int
    total_debit: Decimal
    total_credit: Decimal
    customers: int


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def _decimal(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def entry_time(value: datetime.datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%dT%H:%M:%S}"


def _address(text: str) -> tuple[str, str, str]:
    """(AddressDetail, City, PostalCode) of an address written as ``…, 2400-137 LEIRIA``."""
    street, _sep, last = text.rpartition(", ")
    match = POSTAL.match(last.strip())
    if match is None:
        return text or UNKNOWN, UNKNOWN, UNKNOWN
    return street or UNKNOWN, match.group(2), match.group(1)


class SaftWriter:
    """Elements in SAF-T's namespace, written as they come (xml.sax's XMLGenerator)."""

    def __init__(self, output: IO[bytes]):
        self.xml = XMLGenerator(output, encoding="windows-1252", short_empty_elements=True)

    @contextmanager
    def element(self, name: str) -> Iterator[None]:
        self.xml.startElement(name, NO_ATTRIBUTES)
        yield
        self.xml.endElement(name)

    def leaf(self, name: str, value: str | int) -> None:
        self.xml.startElement(name, NO_ATTRIBUTES)
        self.xml.characters(str(value))
        self.xml.endElement(name)

    def address(self, name: str, detail: str, city: str, postal_code: str) -> None:
        with self.element(name):
            self.leaf("AddressDetail", detail[:210])
            self.leaf("City", city[:50])
            self.leaf("PostalCode", postal_code[:20])
            self.leaf("Country", "PT")


def _month_documents(month: datetime.date):
    end = (month + datetime.timedelta(days=32)).replace(day=1)
    return Invoice.objects.filter(issue_date__gte=month, issue_date__lt=end)


def _write_header(writer: SaftWriter, month: datetime.date, end: datetime.date) -> None:
    utility = settings.UTILITY
    detail, city, postal_code = _address(utility["address"])
    if city == UNKNOWN:  # "Rua …, 2410-128 Leiria": the postal line after the last comma
        detail, _sep, postal = utility["address"].rpartition(", ")
        match = POSTAL.match(postal)
        if match:
            city, postal_code = match.group(2), match.group(1)
    with writer.element("Header"):
        writer.leaf("AuditFileVersion", VERSION)
        writer.leaf("CompanyID", utility["nif"])
        writer.leaf("TaxRegistrationNumber", utility["nif"])
        writer.leaf("TaxAccountingBasis", "F")
        writer.leaf("CompanyName", utility["name"][:100])
        writer.leaf("BusinessName", utility["short_name"][:60])
        writer.address("CompanyAddress", detail, city, postal_code)
        writer.leaf("FiscalYear", month.year)
        writer.leaf("StartDate", f"{month:%Y-%m-%d}")
        writer.leaf("EndDate", f"{end:%Y-%m-%d}")
        writer.leaf("CurrencyCode", "EUR")
        writer.leaf("DateCreated", f"{timezone.localdate():%Y-%m-%d}")
        writer.leaf("TaxEntity", "Global")
        # The program is the utility's own (its certificate number is a setting).
        writer.leaf("ProductCompanyTaxID", utility["nif"])
        writer.leaf("SoftwareCertificateNumber", settings.BILLING_CERTIFICATE_NUMBER)
        writer.leaf("ProductID", f"{PRODUCT_NAME}/{utility['short_name']}"[:255])
        writer.leaf("ProductVersion", PRODUCT_VERSION)
        writer.leaf("Telephone", utility["phone"][:20])
        writer.leaf("Email", utility["email"][:254])
        writer.leaf("Website", utility["website"][:60])


def customer_id(customer_number: str, nif: str) -> str:
    return FINAL_CONSUMER_ID if nif == FINAL_CONSUMER_NIF else customer_number


def _write_customers(writer: SaftWriter, documents, sections: Sequence[SaftSection] = ()) -> int:
    """One Customer per customer of the month's documents (as the latest document names
    them), then those the other sections' documents name that were not listed yet."""
    rows: Iterable[CustomerRow] = (
        documents.order_by("contract__customer__customer_number", "-issue_date", "-pk")
        .values_list(
            "contract__customer__customer_number",
            "customer_nif",
            "customer_name",
            "customer_address",
        )
        .iterator(chunk_size=CHUNK)
    )
    for section in sections:
        rows = itertools.chain(rows, section.customers())
    written: set[str] = set()
    for customer_number, nif, name, address in rows:
        identifier = customer_id(customer_number, nif)
        if identifier in written:
            continue
        written.add(identifier)
        with writer.element("Customer"):
            writer.leaf("CustomerID", identifier)
            writer.leaf("AccountID", UNKNOWN)
            writer.leaf("CustomerTaxID", nif)
            if identifier == FINAL_CONSUMER_ID:
                writer.leaf("CompanyName", "Consumidor final")
                writer.address("BillingAddress", UNKNOWN, UNKNOWN, UNKNOWN)
            else:
                writer.leaf("CompanyName", name[:100])
                writer.address("BillingAddress", *_address(address))
            writer.leaf("SelfBillingIndicator", 0)
    return len(written)


def _tax_code(rate: Decimal | None) -> str:
    if rate is None:
        return EXEMPT_CODE
    try:
        return TAX_CODES[rate]
    except KeyError:
        raise ValueError(f"VAT rate {rate} % is not a Portuguese mainland rate.") from None


def _write_products_and_taxes(writer: SaftWriter, documents) -> None:
    for service in Service:
        with writer.element("Product"):
            writer.leaf("ProductType", "S")
            writer.leaf("ProductCode", service.value)
            writer.leaf("ProductDescription", str(service.label))
            writer.leaf("ProductNumberCode", service.value)
    rates = (
        InvoiceLine.objects.filter(invoice__in=documents, vat_rate__isnull=False)
        .values_list("vat_rate", flat=True)
        .distinct()
    )
    with writer.element("TaxTable"):
        for rate in sorted({rate for rate in rates if rate is not None}):
            code = _tax_code(rate)
            with writer.element("TaxTableEntry"):
                writer.leaf("TaxType", "IVA")
                writer.leaf("TaxCountryRegion", "PT")
                writer.leaf("TaxCode", code)
                writer.leaf("Description", TAX_DESCRIPTIONS[code])
                writer.leaf("TaxPercentage", _decimal(rate))
        with writer.element("TaxTableEntry"):
            writer.leaf("TaxType", "IVA")
            writer.leaf("TaxCountryRegion", "PT")
            writer.leaf("TaxCode", EXEMPT_CODE)
            writer.leaf("Description", "Isento ou não sujeito")
            writer.leaf("TaxPercentage", "0")


def _write_line(writer: SaftWriter, document: Invoice, line: InvoiceLine) -> None:
    is_note = document.document_type == DocumentType.CREDIT_NOTE
    with writer.element("Line"):
        writer.leaf("LineNumber", line.position)
        writer.leaf("ProductCode", line.service)
        writer.leaf("ProductDescription", str(Service(line.service).label))
        writer.leaf("Quantity", _decimal(abs(line.quantity)))
        writer.leaf("UnitOfMeasure", "m3" if line.kind == LineKind.VARIABLE else "30 dias")
        writer.leaf("UnitPrice", _decimal(line.unit_price))
        writer.leaf("TaxPointDate", f"{document.period_end:%Y-%m-%d}")
        if is_note and document.corrects is not None:
            with writer.element("References"):
                writer.leaf("Reference", document.corrects.number)
                writer.leaf("Reason", document.credit_reason[:50])
        writer.leaf("Description", line.description[:200])
        # An invoice's line that gives money back (an acerto down) is a debit, and vice versa.
        is_debit = is_note != (line.amount < 0)
        writer.leaf("DebitAmount" if is_debit else "CreditAmount", money(abs(line.amount)))
        with writer.element("Tax"):
            writer.leaf("TaxType", "IVA")
            writer.leaf("TaxCountryRegion", "PT")
            writer.leaf("TaxCode", _tax_code(line.vat_rate))
            writer.leaf("TaxPercentage", _decimal(line.vat_rate or Decimal(0)))
        if line.vat_rate is None:
            writer.leaf("TaxExemptionReason", line.exemption_reason[:60])
            writer.leaf("TaxExemptionCode", line.exemption_code)


def _write_document(writer: SaftWriter, document: Invoice) -> None:
    source = document.created_by.username[:30] if document.created_by else "faturacao"
    with writer.element("Invoice"):
        writer.leaf("InvoiceNo", document.number)
        writer.leaf("ATCUD", document.atcud)
        with writer.element("DocumentStatus"):
            writer.leaf("InvoiceStatus", "N")
            writer.leaf("InvoiceStatusDate", entry_time(document.system_entry_at))
            writer.leaf("SourceID", source)
            writer.leaf("SourceBilling", "P")
        writer.leaf("Hash", document.hash)
        writer.leaf("HashControl", document.hash_control)
        writer.leaf("Period", document.issue_date.month)
        writer.leaf("InvoiceDate", f"{document.issue_date:%Y-%m-%d}")
        writer.leaf("InvoiceType", document.document_type)
        with writer.element("SpecialRegimes"):
            writer.leaf("SelfBillingIndicator", 0)
            writer.leaf("CashVATSchemeIndicator", 0)
            writer.leaf("ThirdPartiesBillingIndicator", 0)
        writer.leaf("SourceID", source)
        writer.leaf("SystemEntryDate", entry_time(document.system_entry_at))
        writer.leaf(
            "CustomerID",
            customer_id(document.contract.customer.customer_number, document.customer_nif),
        )
        for line in document.lines.all():
            _write_line(writer, document, line)
        with writer.element("DocumentTotals"):
            writer.leaf("TaxPayable", money(document.vat_total))
            writer.leaf("NetTotal", money(document.net_total))
            writer.leaf("GrossTotal", money(document.gross_total))


def write_saft(
    output: IO[bytes],
    *,
    month: datetime.date,
    progress: Callable[[int, int], None] | None = None,
    sections: Sequence[SaftSection] = (),
) -> SaftSummary:
    """Write the SAF-T (PT) of the documents issued in ``month`` to ``output`` (a binary
    stream: the file is Windows-1252); ``progress(done, total)`` is called every 1000
    documents and at the end. ``sections`` (of the same month) follow SalesInvoices."""
    month = month.replace(day=1)
    end = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    documents = _month_documents(month)
    entries = documents.count()
    # The control totals are the lines' sides, as _write_line writes them.
    revenue = Q(invoice__document_type=DocumentType.INVOICE, amount__gte=0) | Q(
        invoice__document_type=DocumentType.CREDIT_NOTE, amount__lt=0
    )
    totals = InvoiceLine.objects.filter(invoice__in=documents).aggregate(
        credit=Sum(Abs("amount"), filter=revenue),
        debit=Sum(Abs("amount"), filter=~revenue),
    )
    total_debit = totals["debit"] or Decimal("0.00")
    total_credit = totals["credit"] or Decimal("0.00")
    writer = SaftWriter(output)
    with translation.override(settings.LANGUAGE_CODE):
        writer.xml.startDocument()
        writer.xml.startElement("AuditFile", AttributesImpl({"xmlns": NAMESPACE}))
        _write_header(writer, month, end)
        with writer.element("MasterFiles"):
            customers = _write_customers(writer, documents, sections)
            _write_products_and_taxes(writer, documents)
        writer.xml.startElement("SourceDocuments", NO_ATTRIBUTES)
        with writer.element("SalesInvoices"):
            writer.leaf("NumberOfEntries", entries)
            writer.leaf("TotalDebit", money(total_debit))
            writer.leaf("TotalCredit", money(total_credit))
            ordered = (
                documents.select_related("contract__customer", "corrects", "created_by")
                .prefetch_related("lines")
                .order_by("document_type", "series__code", "sequence")
                .iterator(chunk_size=CHUNK)
            )
            for done, document in enumerate(ordered, start=1):
                _write_document(writer, document)
                if progress and done % 1000 == 0:
                    progress(done, entries)
        for section in sections:
            section.write(writer)
        writer.xml.endElement("SourceDocuments")
        writer.xml.endElement("AuditFile")
        writer.xml.endDocument()
    if progress:
        progress(entries, entries)
    return SaftSummary(month, entries, total_debit, total_credit, customers)
