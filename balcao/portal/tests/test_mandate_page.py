"""The direct debit mandate shown to its customer (issue 11, item 5): reference, masked
IBAN, date signed, and the signed mandate as a PDF whose text can be read."""

import datetime
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from balcao.service_requests import services
from balcao.service_requests.models import RequestType, ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def casa(ana):
    return ana.subscriptions.get(custom_name="Casa").contract


@pytest.fixture
def mandate(ana_client, casa, clerk):
    with time_machine.travel(datetime.datetime(2026, 4, 10, 12, tzinfo=datetime.UTC)):
        ana_client.post(
            reverse("service_requests:change", args=[casa.contract_number, "direct_debit_on"]),
            {
                "iban": "PT50 0002 0123 1234 5678 9015 4",
                "bic": "",
                "holder_name": "Ana Silva",
                "accept_mandate": "on",
                "channel": "email",
                "contact_value": "ana.silva@example.pt",
            },
        )
    service_request = ServiceRequest.objects.get(request_type=RequestType.DIRECT_DEBIT_ON)
    services.accept_and_apply(service_request=service_request, actor=clerk, message="")
    return casa.account.mandates.get()


def test_the_contract_page_links_to_the_mandate_which_shows_it(ana_client, casa, mandate):
    detail = ana_client.get(reverse("contracts:detail", args=[casa.contract_number])).text
    url = reverse("contracts:mandate", args=[casa.contract_number])
    assert f'href="{url}"' in detail

    html = ana_client.get(url).text
    assert mandate.reference in html
    assert "PT50 **** **** **** 0154" in html
    assert "0123 1234 5678" not in html and "PT50000201231234567890154" not in html
    assert "10/04/2026" in html
    assert reverse("contracts:mandate_pdf", args=[casa.contract_number]) in html


def test_the_signed_mandate_downloads_as_a_pdf_with_its_authorisation(ana_client, casa, mandate):
    response = ana_client.get(reverse("contracts:mandate_pdf", args=[casa.contract_number]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert mandate.reference in text
    assert "PT50 **** **** **** 0154" in text
    assert "10/04/2026" in text and "Ana Silva" in text
    assert mandate.creditor_identifier in text
    assert "oito semanas" in text and "treze meses" in text


def test_without_a_mandate_there_is_no_link_and_no_page(ana_client, casa):
    detail = ana_client.get(reverse("contracts:detail", args=[casa.contract_number])).text
    assert reverse("contracts:mandate", args=[casa.contract_number]) not in detail
    assert (
        ana_client.get(reverse("contracts:mandate", args=[casa.contract_number])).status_code == 404
    )
    pdf = ana_client.get(reverse("contracts:mandate_pdf", args=[casa.contract_number]))
    assert pdf.status_code == 404


def test_someone_elses_mandate_is_404(bruno, casa, mandate):
    bruno_client = Client()
    bruno_client.force_login(bruno)
    for name in ("contracts:mandate", "contracts:mandate_pdf"):
        assert bruno_client.get(reverse(name, args=[casa.contract_number])).status_code == 404
