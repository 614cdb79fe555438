"""A direct debit from someone else's account: the clerk sees it before accepting (issue 11,
item 5)."""

import pytest
from django.urls import reverse

from balcao.service_requests.models import RequestType, ServiceRequest

pytestmark = pytest.mark.django_db

WARNING = "não é o titular do contrato"


def _ask(client, contract, holder_name):
    client.post(
        reverse("service_requests:change", args=[contract.contract_number, "direct_debit_on"]),
        {
            "iban": "PT50 0002 0123 1234 5678 9015 4",
            "bic": "",
            "holder_name": holder_name,
            "accept_mandate": "on",
            "channel": "email",
            "contact_value": "ana.silva@example.pt",
        },
    )
    return ServiceRequest.objects.get(request_type=RequestType.DIRECT_DEBIT_ON)


def _pages(clerk_browser, service_request):
    change = reverse("admin:service_requests_servicerequest_change", args=[service_request.pk])
    accept = reverse(
        "admin:service_requests_servicerequest_action", args=[service_request.pk, "aceitar"]
    )
    return clerk_browser.get(change).text, clerk_browser.get(accept).text


def test_another_account_holder_is_pointed_out_on_the_request_and_before_accepting(
    ana_client, ana_contract, clerk_browser
):
    service_request = _ask(ana_client, ana_contract, "Empresa Silva & Filhos, Lda.")
    for html in _pages(clerk_browser, service_request):
        assert WARNING in html
        assert "Empresa Silva &amp; Filhos, Lda." in html and "Ana Silva" in html


def test_the_same_holder_written_differently_is_not_pointed_out(
    ana_client, ana_contract, clerk_browser
):
    service_request = _ask(ana_client, ana_contract, "  ANA   SÍLVA ")
    for html in _pages(clerk_browser, service_request):
        assert WARNING not in html
