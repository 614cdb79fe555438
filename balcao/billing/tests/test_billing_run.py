"""The monthly billing run: one invoice per contract and month from the readings, the acerto
of earlier estimates (down and up, hand-checked), prescription, idempotency, resume."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from balcao.billing.computation import LineKind, compute_bill
from balcao.billing.models import BillingRun, EstimateAdjustment, Invoice, InvoiceSeries
from balcao.billing.services import billing_run as run_module
from balcao.billing.services.billing_run import run_billing
from balcao.billing.tests.factories import demo_tariff
from balcao.contracts.tests.factories import ContractFactory
from balcao.readings.models import Reading
from balcao.readings.tests.factories import ReadingFactory

pytestmark = pytest.mark.django_db

MAY, JUNE, JULY = datetime.date(2026, 5, 1), datetime.date(2026, 6, 1), datetime.date(2026, 7, 1)


def bill(month, issue_date=None, **kwargs):
    issue_date = issue_date or (month.replace(day=28) + datetime.timedelta(days=10))
    return run_billing(month=month, issue_date=issue_date, **kwargs)


def read(contract, day, index):
    return ReadingFactory(installation=contract.installation, taken_on=day, index=index)


@pytest.fixture
def contract(db):
    """Company readings: 1000 m³ on 31 March, 1010 on 30 April (10 m³ in 30 days)."""
    demo_tariff()
    contract = ContractFactory()
    read(contract, datetime.date(2026, 3, 31), 1000)
    read(contract, datetime.date(2026, 4, 30), 1010)
    return contract


def test_a_month_without_a_reading_is_billed_on_an_estimate_stored_as_a_reading(contract):
    counts = bill(MAY)

    assert (counts.seen, counts.issued, counts.skipped, counts.failed) == (1, 1, 0, 0)
    invoice = Invoice.objects.get()
    assert (invoice.period_start, invoice.period_end, invoice.days) == (
        MAY, datetime.date(2026, 5, 31), 31,
    )  # fmt: skip
    assert invoice.estimated and invoice.water_volume == D("10.333")  # 10/30 m³ a day × 31
    # the same numbers as the pure computation for 10.333 m³ in 31 days
    expected = compute_bill(demo_tariff().to_data(), water_volume=D("10.333"), days=31)
    assert invoice.gross_total == expected.gross_total
    estimate = Reading.objects.get(origin=Reading.Origin.ESTIMATE)
    assert (estimate.taken_on, estimate.index) == (datetime.date(2026, 5, 31), 1020)
    assert estimate.status == Reading.Status.INVOICED
    assert estimate.status_label == f"Estimativa usada na fatura {invoice.number}"
    # the estimate, and the real readings no invoice had used yet
    assert set(invoice.readings.all()) == {estimate, *Reading.objects.filter(origin="company")}


def test_a_real_reading_is_marked_used_in_the_invoice(contract):
    reading = read(contract, datetime.date(2026, 5, 31), 1013)

    bill(MAY)

    invoice = Invoice.objects.get()
    assert not invoice.estimated and invoice.water_volume == D("3.000")
    reading.refresh_from_db()
    assert reading.status_label == f"Usada na fatura {invoice.number}"
    assert not invoice.adjustment_note


def test_acerto_down_hand_checked(contract):
    bill(MAY)  # estimated 10.333 m³ (31 days)
    bill(JUNE)  # estimated 10.000 m³ (30 days)
    # a company reading: 23 m³ in the 92 days since 30 April, 0.25 m³ a day
    read(contract, datetime.date(2026, 7, 31), 1033)

    bill(JULY)

    july = Invoice.objects.get(period_start=JULY)
    assert not july.estimated and july.water_volume == D("7.750")
    acerto = {
        (line.service, line.band): (line.quantity, line.amount)
        for line in july.lines.filter(kind=LineKind.ADJUSTMENT)
    }
    # Water by hand. May, 31 days, 1.º band up to 5 × 31/30 = 5.166667 m³: the estimate
    # billed 5.166333 m³ in the 2.º band (3.62 €), the real 7.75 m³ has 2.583333 (1.81 €);
    # June, 30 days: 5 m³ (3.50 €) against 2.5 m³ (1.75 €). The 1.º band is full either way.
    assert acerto[("water", 2)] == (D("-5.083000"), D("-3.56"))
    assert ("water", 1) not in acerto
    # Waste, flat 0.36 €/m³: (7.75 − 10.333) → −0.93 €, (7.5 − 10) → −0.90 €.
    assert acerto[("waste", None)] == (D("-5.083000"), D("-1.83"))
    # Every line: what the real volumes cost minus what the estimates billed.
    tariff = demo_tariff().to_data()

    def variable(volume, days):
        lines = compute_bill(tariff, water_volume=D(volume), days=days).lines
        return sum(line.amount for line in lines if line.kind == LineKind.VARIABLE)

    expected = (
        variable("7.75", 31) + variable("7.5", 30) - variable("10.333", 31) - variable("10", 30)
    )
    assert sum(amount for _q, amount in acerto.values()) == expected
    assert expected < 0
    assert july.adjustment_note == (
        "Acerto de consumos estimados (01/05/2026–31/05/2026, 01/06/2026–30/06/2026): "
        "faturados 20,333 m³ por estimativa, consumo real 15,250 m³ (-5,083 m³)."
    )
    assert not july.prescription_note
    assert EstimateAdjustment.objects.filter(invoice=july).count() == 2
    # The next month corrects nothing again.
    bill(datetime.date(2026, 8, 1))
    august = Invoice.objects.get(period_start=datetime.date(2026, 8, 1))
    assert not august.lines.filter(kind=LineKind.ADJUSTMENT).exists()
    assert not august.adjustment_note


def test_acerto_up_hand_checked(contract):
    bill(MAY)  # 10.333 m³ estimated
    read(contract, datetime.date(2026, 6, 30), 1040)  # 30 m³ in 61 days

    bill(JUNE)

    june = Invoice.objects.get(period_start=JUNE)
    # real May = 30 × 31/61 = 15.246 m³, June = 30 × 30/61 = 14.754 m³
    assert june.water_volume == D("14.754")
    acerto = {
        (line.service, line.band): (line.quantity, line.amount)
        for line in june.lines.filter(kind=LineKind.ADJUSTMENT)
    }
    # May's 2.º band ends at 15 × 31/30 = 15.5 m³: 15.246 stays in it; billed 5.166333 m³
    # (3.62 €), real 10.079333 m³ (7.06 €).
    assert acerto[("water", 2)] == (D("4.913000"), D("3.44"))
    assert june.adjustment_note.endswith("(+4,913 m³).")
    assert (
        june.gross_total
        > compute_bill(demo_tariff().to_data(), water_volume=D("14.754"), days=30).gross_total
    )


def test_an_acerto_up_older_than_six_months_is_not_charged_and_the_invoice_says_why(contract):
    bill(MAY)  # estimated
    bill(JUNE)  # estimated
    read(contract, datetime.date(2026, 12, 31), 1100)  # 90 m³ since 30 April: more than billed

    # December's invoice, issued on 10 January 2027: May began more than 6 months before.
    bill(datetime.date(2026, 12, 1), issue_date=datetime.date(2027, 1, 10))

    december = Invoice.objects.get(period_start=datetime.date(2026, 12, 1))
    assert not december.lines.filter(kind=LineKind.ADJUSTMENT).exists()
    assert not december.adjustment_note
    assert december.prescription_note.startswith(
        "Não é cobrado o consumo real acima do estimado em 01/05/2026–31/05/2026, "
        "01/06/2026–30/06/2026 ("
    )
    assert "prescreveu (Lei n.º 23/96, artigo 10.º)" in december.prescription_note
    adjustments = EstimateAdjustment.objects.filter(invoice=december)
    assert {(a.prescribed, a.amount) for a in adjustments} == {(True, D("0.00"))}


def test_a_refund_older_than_six_months_is_still_given(contract):
    bill(MAY)  # 10.333 m³ estimated
    read(contract, datetime.date(2026, 11, 30), 1013)  # 3 m³ in 7 months
    read(contract, datetime.date(2026, 12, 31), 1043)  # and 30 in December

    bill(datetime.date(2026, 12, 1), issue_date=datetime.date(2027, 1, 10))

    december = Invoice.objects.get(period_start=datetime.date(2026, 12, 1))
    assert december.lines.filter(kind=LineKind.ADJUSTMENT, amount__lt=0).exists()
    assert december.adjustment_note.startswith("Acerto de consumos estimados (01/05/2026–")
    assert not december.prescription_note


def test_running_a_month_twice_issues_nothing_new(contract):
    ContractFactory()
    first = bill(MAY)
    second = bill(MAY)

    assert (first.issued, first.skipped) == (2, 0)
    assert (second.seen, second.issued, second.skipped, second.failed) == (2, 0, 2, 0)
    assert Invoice.objects.count() == 2
    assert InvoiceSeries.objects.get(document_type="FT").last_number == 2


def test_a_failure_leaves_no_partial_invoice_and_the_next_run_resumes(contract, monkeypatch):
    for _ in range(4):
        ContractFactory()
    real_issue = run_module.issue_invoice
    calls = {"n": 0}

    def failing_on_the_third(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            real_issue(**kwargs)  # numbered, signed, saved … then the failure
            raise RuntimeError("disco cheio")
        return real_issue(**kwargs)

    monkeypatch.setattr(run_module, "issue_invoice", failing_on_the_third)
    counts = bill(MAY)

    assert (counts.seen, counts.issued, counts.failed) == (5, 4, 1)
    assert "disco cheio" in counts.errors[0]
    assert Invoice.objects.count() == 4
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4]
    # the failed contract's estimate was rolled back with its invoice
    assert Reading.objects.filter(origin="estimate").count() == 4

    monkeypatch.setattr(run_module, "issue_invoice", real_issue)
    again = bill(MAY)

    assert (again.issued, again.skipped, again.failed) == (1, 4, 0)
    assert sorted(Invoice.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4, 5]


def test_the_command_prints_its_progress_and_summary(contract, capsys):
    from io import StringIO

    out = StringIO()
    call_command("run_billing", "--period", "2026-05", "--issue-date", "2026-06-03", stdout=out)
    call_command("run_billing", "--period", "2026-05", "--issue-date", "2026-06-03", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("[" + "#" * 30 + "] 1/1")
    assert lines[1].startswith(
        "Faturação de 2026-05: 1 contratos vistos, 1 faturas emitidas, 0 já faturados, 0 falhas"
    )
    assert lines[3].startswith(
        "Faturação de 2026-05: 1 contratos vistos, 0 faturas emitidas, 1 já faturados, 0 falhas"
    )
    runs = list(BillingRun.objects.order_by("pk").values_list("status", "issued", "skipped"))
    assert runs == [("done", 1, 0), ("done", 0, 1)]


def test_the_command_refuses_a_month_that_has_not_ended(contract):
    with pytest.raises(CommandError, match="ainda não terminou"):
        call_command("run_billing", "--period", "2026-05", "--issue-date", "2026-05-31")


def test_a_refund_larger_than_the_month_waits_for_a_later_invoice(contract):
    bill(MAY)  # 10.333 m³ estimated
    read(contract, datetime.date(2026, 12, 31), 1011)  # 1 m³ in 8 months

    bill(datetime.date(2026, 12, 1), issue_date=datetime.date(2027, 1, 10))

    december = Invoice.objects.get(period_start=datetime.date(2026, 12, 1))
    assert december.gross_total >= 0  # an invoice is never negative (SAF-T)
    assert not december.lines.filter(kind=LineKind.ADJUSTMENT).exists()
    assert not EstimateAdjustment.objects.exists()  # May is still to be corrected


def test_a_run_for_one_municipality_bills_only_its_contracts(contract):
    from balcao.core.models import Municipality

    batalha = Municipality.objects.exclude(code="1009").order_by("code").first()
    elsewhere = ContractFactory(installation__address__municipality=batalha)

    counts = bill(MAY, municipality_code=batalha.code)

    assert (counts.seen, counts.issued) == (1, 1)
    assert Invoice.objects.get().contract == elsewhere
    assert bill(MAY, municipality_code="1009").issued == 1  # then Leiria's


def test_the_personas_get_invoices_from_the_factory(ana):
    from balcao.billing.tests.factories import issue_month_invoice

    casa = ana.subscriptions.get(custom_name="Casa").contract
    older = issue_month_invoice(casa, datetime.date(2026, 8, 1), paid=True)
    latest = issue_month_invoice(casa, datetime.date(2026, 9, 1), volume="14")

    assert (older.status, latest.status) == ("paid", "issued")
    assert latest.number == "FT 2026A/2" and latest.water_volume == D("14")
    assert latest.issue_date == datetime.date(2026, 10, 1)


def test_an_invoice_with_an_acerto_down_is_a_valid_saft_line_by_line(contract, tmp_path):
    """SAF-T has no negative amounts: the acerto's lines are written as debits, and the
    file's control totals are the lines' sides (the invoice's net = credits − debits)."""
    import xml.etree.ElementTree as ET  # noqa: S405 - parses the file the test just wrote

    import xmlschema
    from django.conf import settings

    bill(MAY)
    bill(JUNE)
    read(contract, datetime.date(2026, 7, 31), 1033)
    bill(JULY, issue_date=datetime.date(2026, 8, 8))
    july = Invoice.objects.get(period_start=JULY)
    assert july.lines.filter(amount__lt=0).exists()
    path = tmp_path / "saft.xml"

    from balcao.billing.saft import write_saft

    with path.open("wb") as handle:
        write_saft(handle, month=datetime.date(2026, 8, 1))

    xsd = settings.BASE_DIR / "data" / "saft" / "SAFTPT1.04_01.xsd"
    xmlschema.XMLSchema11(str(xsd)).validate(str(path))
    ns = {"s": "urn:OECD:StandardAuditFile-Tax:PT_1.04_01"}
    sales = ET.parse(path).getroot().find("s:SourceDocuments/s:SalesInvoices", ns)  # noqa: S314
    credit = sum(D(n.text) for n in sales.iterfind("s:Invoice/s:Line/s:CreditAmount", ns))
    debit = sum(D(n.text) for n in sales.iterfind("s:Invoice/s:Line/s:DebitAmount", ns))
    assert D(sales.findtext("s:TotalCredit", namespaces=ns)) == credit
    assert D(sales.findtext("s:TotalDebit", namespaces=ns)) == debit > 0
    assert credit - debit == july.net_total
