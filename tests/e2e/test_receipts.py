"""A paid invoice in the browser: its payment and receipt on the invoice's page, the receipt's
PDF downloaded, the page that says the PDF is not ready yet. axe on each page."""

import datetime

import pytest
from django.utils import timezone

from balcao.billing.tests.helpers_pages import bill
from balcao.payments.models import PaymentMethod
from balcao.payments.tests.factories import pay_invoice

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_paid_invoice_shows_its_receipt_to_download(page, login, assert_accessible, ana):
    contract = ana.subscriptions.get(custom_name="Casa").contract
    start = timezone.localdate().replace(day=1) - datetime.timedelta(days=40)
    invoice = bill(contract, start=start, volume="9", issue_date=timezone.localdate())
    receipt = pay_invoice(invoice, method=PaymentMethod.MULTIBANCO).receipt  # PDF on commit

    login(page, ana)
    page.goto(f"/faturas/{invoice.number.replace(' ', '-').replace('/', '-')}/")
    payments = page.locator("ul.receipts").inner_text()
    assert "por Multibanco" in payments and receipt.number in payments
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Descarregar o recibo {receipt.number} (PDF)").click()
    download = download_info.value
    assert (
        download.suggested_filename == receipt.number.replace(" ", "-").replace("/", "-") + ".pdf"
    )
    with open(download.path(), "rb") as pdf:
        assert pdf.read().startswith(b"%PDF")


def test_the_receipt_pdf_not_ready_yet_says_so(page, login, assert_accessible, ana, settings):
    settings.BILLING_RENDER_PDF = False
    contract = ana.subscriptions.get(custom_name="Casa").contract
    start = timezone.localdate().replace(day=1) - datetime.timedelta(days=40)
    receipt = pay_invoice(bill(contract, start=start, issue_date=timezone.localdate())).receipt
    login(page, ana)
    page.goto(f"/recibos/{receipt.number.replace(' ', '-').replace('/', '-')}/pdf/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "O recibo em PDF está a ser preparado"
    )
    assert_accessible(page)
