"""The invoice PDF: drawn once after issue, kept, real text, a QR code that decodes."""

import datetime
import io

import pypdfium2
import pytest
import time_machine
import zxingcpp
from django.db import transaction
from pypdf import PdfReader

from balcao.billing.documents import direct_debit_notice, qr_string
from balcao.billing.invoice_pdf import render_invoice_pdf
from balcao.billing.models import DirectDebitMandate, Invoice
from balcao.billing.services.invoices import issue_credit_note
from balcao.billing.services.pdfs import keep_invoice_pdf, pdf_name
from balcao.billing.tests.factories import issue_for_period
from balcao.contracts.tests.factories import ContractFactory
from balcao.core.money import format_euros
from balcao.readings.models import Reading
from balcao.readings.tests.factories import ReadingFactory

pytestmark = pytest.mark.django_db

OCTOBER = (datetime.date(2026, 10, 1), datetime.date(2026, 10, 30))  # 30 days


def issue(contract, tariff, period=OCTOBER, volume="10", **kwargs):
    return issue_for_period(contract, tariff, period, volume, **kwargs)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def qr_codes_of(pdf: bytes) -> list[str]:
    """Rasterise each page (about 200 dpi) and read every QR code on it."""
    document = pypdfium2.PdfDocument(pdf)
    found = []
    for page in document:
        image = page.render(scale=200 / 72).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    return found


@pytest.fixture
def ana_contract():
    return ContractFactory(customer__name="Ana Silva", customer__nif="232013969")


@time_machine.travel("2026-11-02 10:15:30+00:00", tick=False)
def test_the_pdf_is_kept_once_after_issue_with_its_legal_text_and_qr_code(
    demo_tariff, ana_contract, django_capture_on_commit_callbacks, settings
):
    ReadingFactory(
        installation=ana_contract.installation,
        taken_on=datetime.date(2026, 9, 30),
        index=120,
        status=Reading.Status.INVOICED,
    )
    current = ReadingFactory(
        installation=ana_contract.installation,
        taken_on=datetime.date(2026, 10, 30),
        index=130,
        origin=Reading.Origin.CUSTOMER,
    )
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issue(ana_contract, demo_tariff, readings=[current])

    invoice.refresh_from_db()
    assert invoice.pdf.name == "invoices/2026/11/ft-2026a-1.pdf"
    assert invoice.events.filter(kind="pdf").count() == 1
    pdf = invoice.pdf.read()
    text = text_of(pdf)
    for expected in (
        "Fatura",
        "FT 2026A/1",
        "ATCUD:CSDF7T5H-1",
        "NIF 680012773",  # the utility
        "232013969",  # the customer
        "Ana Silva",
        ana_contract.contract_number,
        ana_contract.installation.cil,
        "01/10/2026 a 30/10/2026 (30 dias)",
        "30/09/2026",
        "120 m³",
        "130 m³",
        "comunicada pelo cliente",
        "real (leitura dos SMAS)",
        "Consumo faturado: 10 m³ (real)",
        "Abastecimento de água — 1.º escalão",
        "26,12 €",  # net
        "0,62 €",  # VAT
        "26,74 €",  # total
        "Pagar até",
        "22/11/2026",
        "Entidade",
        "90150",
        "Montante",
        "M99: Não sujeito",
        "IVA 6 %",
        "Consumo dos últimos 12 meses (m³)",
        f"{invoice.hash_characters} - Processado por programa certificado n.º 9999/AT",
    ):
        assert expected in text, expected
    assert qr_codes_of(pdf) == [qr_string(invoice)]


def test_the_pdf_is_never_drawn_again_nor_overwritten(demo_tariff, ana_contract):
    invoice = issue(ana_contract, demo_tariff)  # no commit in a test: no PDF yet
    assert not Invoice.objects.get(pk=invoice.pk).pdf

    kept = keep_invoice_pdf(invoice.pk)
    first = kept.pdf.read()
    kept.pdf.close()
    again = keep_invoice_pdf(invoice.pk)
    assert again.pdf.name == kept.pdf.name
    assert again.pdf.read() == first
    assert invoice.events.filter(kind="pdf").count() == 1


def test_a_file_left_by_an_interrupted_attempt_is_the_one_kept(demo_tariff, ana_contract, settings):
    invoice = issue(ana_contract, demo_tariff)
    path = settings.MEDIA_ROOT / pdf_name(invoice)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"%PDF-1.4 the first drawing")

    kept = keep_invoice_pdf(invoice.pk)

    assert kept.pdf.name == pdf_name(invoice)
    assert path.read_bytes() == b"%PDF-1.4 the first drawing"


def test_no_pdf_when_the_setting_is_off_or_the_issue_rolls_back(
    demo_tariff, ana_contract, django_capture_on_commit_callbacks, settings
):
    settings.BILLING_RENDER_PDF = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invoice = issue(ana_contract, demo_tariff)
    assert callbacks == [] and not Invoice.objects.get(pk=invoice.pk).pdf

    settings.BILLING_RENDER_PDF = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                issue(
                    ana_contract,
                    demo_tariff,
                    period=(OCTOBER[1] + datetime.timedelta(1), datetime.date(2026, 11, 29)),
                )
                raise RuntimeError("the run stops")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not (settings.MEDIA_ROOT / "invoices").exists()


def test_a_credit_note_says_so_with_the_invoice_it_corrects_and_why(
    demo_tariff, ana_contract, django_capture_on_commit_callbacks
):
    invoice = issue(ana_contract, demo_tariff)
    with django_capture_on_commit_callbacks(execute=True):
        note = issue_credit_note(invoice=invoice, reason="Leitura mal registada.")
    note.refresh_from_db()
    pdf = note.pdf.read()
    text = text_of(pdf)
    for expected in (
        "Nota de crédito",
        note.number,
        "ATCUD:NCDF7T5H-1",
        "Corrige a fatura",
        invoice.number,
        "Leitura mal registada.",
        "26,74 €",
    ):
        assert expected in text, expected
    assert "Entidade" not in text and "Pagar até" not in text
    assert qr_codes_of(pdf) == [qr_string(note)]


def test_direct_debit_shows_the_masked_iban_instead_of_multibanco(demo_tariff, ana_contract):
    account = ana_contract.account
    account.direct_debit = True
    account.save()
    DirectDebitMandate.objects.create(
        reference="SMAS-TEST-1",
        account=account,
        debtor_name="Ana Silva",
        debtor_address="Rua",
        iban="PT50000201231234567890154",
        creditor_name="SMAS",
        creditor_address="Leiria",
        creditor_identifier="PT12ZZZ100001",
        signed_at=datetime.date(2026, 1, 5),
        signed_place="Leiria",
        authorisation_text="…",
    )
    invoice = issue(ana_contract, demo_tariff)
    text = text_of(render_invoice_pdf(invoice))
    assert "Débito direto" in text and "PT50 **** **** **** 0154" in text
    assert "Entidade" not in text
    # The pre-notification: the amount, the account and the debit date (the due date).
    assert "Montante a debitar" in text and format_euros(invoice.gross_total) in text
    assert f"Data do débito {invoice.due_date:%d/%m/%Y}" in text.replace("\n", " ")


def test_the_direct_debit_notice_is_one_sentence_billing_and_its_mail_reuse(
    demo_tariff, ana_contract
):
    account = ana_contract.account
    account.direct_debit = True
    account.save()
    invoice = issue(ana_contract, demo_tariff)
    assert direct_debit_notice(invoice) is None  # no mandate in force: nothing to promise
    DirectDebitMandate.objects.create(
        reference="SMAS-TEST-2",
        account=account,
        debtor_name="Ana Silva",
        debtor_address="Rua",
        iban="PT50000201231234567890154",
        creditor_name="SMAS",
        creditor_address="Leiria",
        creditor_identifier="PT12ZZZ100001",
        signed_at=datetime.date(2026, 1, 5),
        signed_place="Leiria",
        authorisation_text="…",
    )
    notice = direct_debit_notice(invoice)
    assert notice.text == (
        f"O montante de {format_euros(invoice.gross_total)} será debitado na conta "
        f"PT50 **** **** **** 0154 em {invoice.due_date:%d/%m/%Y}."
    )


def test_the_chart_shows_the_last_12_periods_with_their_numbers(demo_tariff, ana_contract):
    start = datetime.date(2025, 9, 1)
    invoice = None
    for month in range(14):
        first = datetime.date(
            start.year + (start.month + month - 1) // 12, (start.month + month - 1) % 12 + 1, 1
        )
        last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        invoice = issue(
            ana_contract,
            demo_tariff,
            period=(first, last),
            volume=str(month + 1),
            issue_date=last + datetime.timedelta(days=2),
        )
    text = text_of(render_invoice_pdf(invoice))
    chart = text.split("Consumo dos últimos 12 meses (m³)")[1]
    # periods 3..14 (m³ = month + 1): the two oldest are out
    for volume in range(3, 15):
        assert str(volume) in chart
    assert "out 26" in chart and "nov 25" in chart and "set 25" not in chart


@time_machine.travel("2026-11-02 10:15:30+00:00", tick=False)
def test_a_reading_inside_the_period_is_intermediate_not_previous(
    demo_tariff, ana_contract, django_capture_on_commit_callbacks
):
    """The reading before the period is "Leitura anterior", the last one "Leitura atual",
    and one taken inside the period (a customer's, mid-month) "Leitura intermédia"."""
    installation = ana_contract.installation
    september = datetime.date(2026, 9, 30)
    ReadingFactory(
        installation=installation, taken_on=september, index=120, status=Reading.Status.INVOICED
    )
    middle = ReadingFactory(
        installation=installation,
        taken_on=datetime.date(2026, 10, 12),
        index=124,
        origin=Reading.Origin.CUSTOMER,
    )
    last = ReadingFactory(
        installation=installation, taken_on=datetime.date(2026, 10, 30), index=130
    )
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issue(ana_contract, demo_tariff, readings=[middle, last])

    invoice.refresh_from_db()
    text = text_of(invoice.pdf.read())
    assert text.count("Leitura anterior") == 1
    assert "Leitura intermédia" in text
    assert text.index("Leitura anterior") < text.index("Leitura intermédia")
    assert text.index("Leitura intermédia") < text.index("Leitura atual")
