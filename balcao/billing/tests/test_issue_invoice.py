"""Issuing invoices and credit notes: numbers, ATCUD, the signature chain, immutability."""

import datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from balcao.billing import signature
from balcao.billing.computation import compute_bill
from balcao.billing.documents import multibanco_for, qr_string
from balcao.billing.models import Invoice, InvoiceLine, InvoiceSeries, IssuedDocumentError
from balcao.billing.services.invoices import IssueError, issue_credit_note, issue_invoice
from balcao.billing.tests.factories import issue_for_period
from balcao.contracts.tests.factories import ContractFactory
from balcao.readings.models import Reading
from balcao.readings.tests.factories import ReadingFactory

pytestmark = pytest.mark.django_db

OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 30))  # 30 days
NOVEMBER = (datetime.date(2026, 10, 31), datetime.date(2026, 11, 29))


def issue(contract, tariff, period=OCTOBER, volume="10", **kwargs):
    return issue_for_period(contract, tariff, period, volume, **kwargs)


@time_machine.travel("2026-11-02 10:15:30+00:00", tick=False)
def test_an_invoice_is_numbered_signed_and_kept_with_its_lines(demo_tariff, settings):
    contract = ContractFactory(customer__name="Ana Silva", customer__nif="232013969")

    invoice = issue(contract, demo_tariff)

    assert invoice.number == "FT 2026A/1"
    assert invoice.atcud == "CSDF7T5H-1" and invoice.atcud_label == "ATCUD:CSDF7T5H-1"
    assert invoice.issue_date == datetime.date(2026, 11, 2)
    assert invoice.due_date == datetime.date(2026, 11, 22)  # 20 days after issue
    assert (invoice.net_total, invoice.vat_total, invoice.gross_total) == (
        D("26.12"), D("0.62"), D("26.74"),
    )  # fmt: skip
    assert (invoice.customer_nif, invoice.customer_name) == ("232013969", "Ana Silva")
    assert invoice.customer_address == str(contract.account.billing_address)
    lines = list(invoice.lines.all())
    assert len(lines) == 10
    assert lines[0].description == "Abastecimento de água — tarifa fixa"
    assert lines[1].description == "Abastecimento de água — 1.º escalão"
    assert sum(line.amount for line in lines) == D("26.12")
    # the hash signs date; entry (Lisbon time, whole seconds); number; total; "" (first)
    message = "2026-11-02;2026-11-02T10:15:30;FT 2026A/1;26.74;"
    public_key = signature.private_key().public_key()
    assert signature.verify(message, invoice.hash, public_key)
    assert invoice.hash_characters == signature.printed_characters(invoice.hash)
    assert invoice.hash_control == "1"
    assert invoice.events.get().kind == "issued"
    series = InvoiceSeries.objects.get(document_type="FT")
    assert (series.last_number, series.last_hash) == (1, invoice.hash)


def test_each_hash_chains_to_the_previous_document_of_the_series(demo_tariff):
    first = issue(ContractFactory(), demo_tariff)
    second = issue(ContractFactory(), demo_tariff, volume="0")
    assert second.number == "FT 2026A/2" and second.atcud.endswith("-2")
    message = signature.signing_message(
        invoice_date=second.issue_date,
        system_entry=timezone.localtime(second.system_entry_at),
        number=second.number,
        gross_total=second.gross_total,
        previous_hash=first.hash,
    )
    assert signature.verify(message, second.hash, signature.private_key().public_key())


def test_the_qr_code_and_multibanco_of_an_issued_invoice(demo_tariff, settings):
    contract = ContractFactory(customer__nif="232013969")
    with time_machine.travel("2026-11-02 10:00+00:00", tick=False):
        invoice = issue(contract, demo_tariff)
    assert qr_string(invoice) == (
        "A:680012773*B:232013969*C:PT*D:FT*E:N*F:20261102*G:FT 2026A/1*H:CSDF7T5H-1*"
        f"I1:PT*I3:10.25*I4:0.62*L:15.87*N:0.62*O:26.74*Q:{invoice.hash_characters}*R:9999"
    )
    reference = multibanco_for(invoice)
    assert reference is not None
    assert reference.reference.startswith("1230001") and reference.amount == D("26.74")
    contract.account.direct_debit = True
    contract.account.save()
    invoice.account.refresh_from_db()
    assert multibanco_for(invoice) is None  # paid by direct debit: no reference shown


def test_an_issued_invoice_never_changes(demo_tariff):
    invoice = issue(ContractFactory(), demo_tariff)
    invoice.gross_total = D("1.00")
    with pytest.raises(IssuedDocumentError):
        invoice.save()
    fresh = Invoice.objects.get(pk=invoice.pk)
    with pytest.raises(IssuedDocumentError):
        fresh.save(update_fields=["gross_total"])
    with pytest.raises(IssuedDocumentError):
        fresh.delete()
    line = fresh.lines.first()
    line.amount = D("0")
    with pytest.raises(IssuedDocumentError):
        line.save()
    with pytest.raises(IssuedDocumentError):
        line.delete()
    # the status and the PDF (once) may be set
    fresh.pdf.name = "invoices/2026/11/ft-2026a-1.pdf"
    fresh.save(update_fields=["pdf"])
    fresh = Invoice.objects.get(pk=invoice.pk)
    fresh.pdf.name = "invoices/other.pdf"
    with pytest.raises(IssuedDocumentError):
        fresh.save()
    assert Invoice.objects.get(pk=invoice.pk).gross_total == D("26.74")


def test_one_invoice_per_contract_and_period(demo_tariff):
    contract = ContractFactory()
    issue(contract, demo_tariff)
    with pytest.raises(IntegrityError), transaction.atomic():
        issue(contract, demo_tariff)
    # the failed attempt left no number behind: the next one is 2
    assert issue(contract, demo_tariff, period=NOVEMBER).number == "FT 2026A/2"


def test_the_readings_used_are_linked_and_marked(demo_tariff):
    contract = ContractFactory()
    reading = ReadingFactory(
        installation=contract.installation, taken_on=datetime.date(2026, 10, 30), index=10
    )
    invoice = issue(contract, demo_tariff, readings=[reading])
    reading.refresh_from_db()
    assert reading.status == Reading.Status.INVOICED
    assert reading.invoice_number == invoice.number
    assert list(invoice.readings.all()) == [reading]


def test_a_date_before_the_series_last_document_is_refused(demo_tariff):
    issue(ContractFactory(), demo_tariff, issue_date=datetime.date(2026, 11, 5))
    with pytest.raises(IssueError):
        issue(ContractFactory(), demo_tariff, issue_date=datetime.date(2026, 11, 4))
    assert Invoice.objects.count() == 1


def test_a_computation_for_other_days_is_refused(demo_tariff):
    computation = compute_bill(demo_tariff.to_data(), water_volume=D("1"), days=31)
    with pytest.raises(IssueError):
        issue_invoice(
            contract=ContractFactory(), period_start=OCTOBER[0], period_end=OCTOBER[1],
            tariff=demo_tariff, computation=computation,
        )  # fmt: skip
    assert not InvoiceSeries.objects.filter(last_number__gt=0).exists()


def test_a_credit_note_cancels_the_invoice_and_a_new_one_follows(demo_tariff, clerk):
    contract = ContractFactory()
    invoice = issue(contract, demo_tariff)

    note = issue_credit_note(invoice=invoice, reason="Leitura mal registada.", actor=clerk)

    assert note.number == "NC 2026A/1" and note.atcud == "NCDF7T5H-1"
    assert note.corrects == invoice and note.credit_reason == "Leitura mal registada."
    assert note.gross_total == invoice.gross_total and note.due_date is None
    assert [line.amount for line in note.lines.all()] == [
        line.amount for line in invoice.lines.all()
    ]
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.CANCELLED
    assert invoice.events.last().kind == "cancelled" and invoice.events.last().actor == clerk
    # NC series has its own chain, starting empty
    message = signature.signing_message(
        invoice_date=note.issue_date,
        system_entry=timezone.localtime(note.system_entry_at),
        number=note.number,
        gross_total=note.gross_total,
        previous_hash="",
    )
    assert signature.verify(message, note.hash, signature.private_key().public_key())
    replacement = issue(contract, demo_tariff, volume="8")
    assert replacement.number == "FT 2026A/2"
    with pytest.raises(IssueError):
        issue_credit_note(invoice=note, reason="x")


def test_the_series_validation_code_comes_from_the_settings_on_first_use(demo_tariff, settings):
    settings.BILLING_INVOICE_SERIES = "2027Z"
    settings.BILLING_ATCUD_VALIDATION_CODES = {"FT": "ABCD1234", "NC": "EFGH5678"}
    invoice = issue(ContractFactory(), demo_tariff)
    assert (invoice.number, invoice.atcud) == ("FT 2027Z/1", "ABCD1234-1")


def test_line_quantities_keep_six_decimals(demo_tariff):
    invoice = issue(
        ContractFactory(),
        demo_tariff,
        period=(datetime.date(2026, 10, 1), datetime.date(2026, 10, 31)),
    )
    first_band = InvoiceLine.objects.get(invoice=invoice, band=1, service="water")
    assert first_band.quantity == D("5.166667")
    assert first_band.amount == D("3.05")
