"""The receipt's PDF: drawn once after the payment commits, with its legal text and the AT QR
code; downloaded from the invoice's page by its owner only."""

import datetime
import io

import pypdfium2
import pytest
import time_machine
import zxingcpp
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from balcao.billing.tests.factories import issue_month_invoice
from balcao.payments.models import PaymentMethod, Receipt
from balcao.payments.receipt_pdf import receipt_qr_string
from balcao.payments.services.pdfs import keep_receipt_pdf, receipt_pdf_name
from balcao.payments.tests.factories import pay_invoice

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def qr_codes_of(pdf: bytes) -> list[str]:
    found = []
    for page in pypdfium2.PdfDocument(pdf):
        found += [r.text for r in zxingcpp.read_barcodes(page.render(scale=200 / 72).to_pil())]
    return found


@pytest.fixture
def casa(ana):
    return ana.subscriptions.get(custom_name="Casa").contract


@time_machine.travel("2026-11-10 10:15:30+00:00", tick=False)
def test_the_receipt_pdf_is_kept_once_with_its_invoices_atcud_and_qr_code(
    casa, django_capture_on_commit_callbacks, settings
):
    september = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    october = issue_month_invoice(casa, datetime.date(2026, 10, 1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        payment = pay_invoice(september, october, method=PaymentMethod.TRANSFER)
    assert len(callbacks) == 1
    receipt = Receipt.objects.get(pk=payment.receipt.pk)
    assert receipt.pdf.name == receipt_pdf_name(receipt) == "receipts/2026/11/rg-2026a-1.pdf"

    pdf = receipt.pdf.read()
    text = text_of(pdf)
    for expected in (
        "Recibo",
        "RG 2026A/1",
        "ATCUD:RGDF7T5H-1",
        "Ana Silva",
        september.number,
        october.number,
        "Transferência bancária",
        "10/11/2026",
        "Total recebido",
        "Emitido por programa certificado n.º 9999/AT",
    ):
        assert expected in text, expected
    assert text.count("ATCUD:RGDF7T5H-1") >= 3  # header, above the QR code, footer
    qr = receipt_qr_string(receipt)
    assert qr_codes_of(pdf) == [qr]
    assert "*D:RG*E:N*F:20261110*G:RG 2026A/1*H:RGDF7T5H-1*I1:0*N:0.00*" in qr
    assert qr.endswith(f"*O:{receipt.gross_total:.2f}*Q:0*R:9999")

    # Kept once: a second run draws nothing and keeps the file.
    path = settings.MEDIA_ROOT / receipt.pdf.name
    before = path.stat().st_mtime_ns
    assert keep_receipt_pdf(receipt.pk).pdf.name == receipt.pdf.name
    assert path.stat().st_mtime_ns == before


def test_many_invoices_continue_on_a_second_page_with_the_atcud(casa):
    invoices = [issue_month_invoice(casa, datetime.date(2024, 1, 1))]
    month = datetime.date(2024, 1, 1)
    for _ in range(45):
        month = (month + datetime.timedelta(days=32)).replace(day=1)
        invoices.append(issue_month_invoice(casa, month))
    receipt = pay_invoice(*invoices).receipt
    pages = PdfReader(io.BytesIO(keep_receipt_pdf(receipt.pk).pdf.read())).pages
    assert len(pages) >= 2
    assert all(receipt.atcud in page.extract_text() for page in pages)
    assert invoices[-1].number in pages[-1].extract_text()


def test_no_pdf_when_the_setting_is_off_or_the_payment_rolls_back(
    casa, django_capture_on_commit_callbacks, settings
):
    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    settings.BILLING_RENDER_PDF = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        payment = pay_invoice(invoice)
    assert callbacks == [] and not Receipt.objects.get(pk=payment.receipt.pk).pdf

    settings.BILLING_RENDER_PDF = True
    other = issue_month_invoice(casa, datetime.date(2026, 10, 1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                pay_invoice(other)
                raise RuntimeError("the import stops")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not (settings.MEDIA_ROOT / "receipts").exists()


def test_ana_downloads_her_receipt_from_the_invoice_page_and_bruno_gets_404(
    casa, ana_client, bruno, client, django_capture_on_commit_callbacks
):
    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    with django_capture_on_commit_callbacks(execute=True):
        receipt = pay_invoice(invoice).receipt
    page = ana_client.get(reverse("billing:invoice", args=[invoice.number]))
    url = reverse("payments:receipt_pdf", args=[receipt.number])
    assert url == "/recibos/RG-2026A-1/pdf/"
    assert f'href="{url}"' in page.content.decode()

    response = ana_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="RG-2026A-1.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    client.force_login(bruno)
    assert client.get(url).status_code == 404
    assert client.get("/recibos/RG-2026A-99/pdf/").status_code == 404


def test_before_the_pdf_is_drawn_the_customer_is_told_to_come_back(casa, ana_client, settings):
    settings.BILLING_RENDER_PDF = False
    receipt = pay_invoice(issue_month_invoice(casa, datetime.date(2026, 9, 1))).receipt
    response = ana_client.get(reverse("payments:receipt_pdf", args=[receipt.number]))
    assert response.status_code == 409
    assert "ainda não está pronto" in response.content.decode()


@pytest.mark.parametrize("parts", [1, 4])
def test_the_invoice_page_shows_its_receipts_in_one_query(
    casa, ana_client, parts, django_assert_max_num_queries
):
    """The receipts are one query however many settle the invoice, and only when there are
    some: the page is 4 queries unpaid (session, user, subscriptions, the invoice with its
    previous invoice and payment state; lines and readings from the cache) and 5 paid."""
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    invoice = issue_month_invoice(casa, datetime.date(2026, 9, 1))
    url = reverse("billing:invoice", args=[invoice.number])
    ana_client.get(url)  # warm the session and the invoice's lines and readings
    with CaptureQueriesContext(connection) as unpaid:
        ana_client.get(url)
    for _ in range(parts - 1):
        pay_invoice(invoice, amount=Decimal("1.00"))
    pay_invoice(invoice)  # the rest
    with django_assert_max_num_queries(len(unpaid.captured_queries) + 1):
        html = ana_client.get(url).content.decode()
    assert len(unpaid.captured_queries) <= 4
    assert html.count("/recibos/RG-2026A-") == parts
