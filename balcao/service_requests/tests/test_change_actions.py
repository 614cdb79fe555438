"""The change buttons beside the contract detail's fields: one query for every field."""

import pytest
from django.test import RequestFactory

from balcao.service_requests.models import RequestType

pytestmark = pytest.mark.django_db

FIELDS = ["e_invoice", "direct_debit", "billing_address", "contact", "termination"]


def test_each_field_has_its_button(ana_contract, change_actions):
    html = "".join(change_actions(ana_contract, field) for field in FIELDS)

    assert html.count('class="button button--secondary"') == 5
    assert "Alterar contactos" in html and "Rescisão do contrato" in html
    assert '<span class="visually-hidden">Alterar morada de envio das faturas</span>' in html


def test_pending_changes_are_one_query_per_page(
    ana, ana_contract, make_request, change_actions, django_assert_num_queries
):
    make_request(
        ana,
        request_type=RequestType.CONTACT_CHANGE,
        contract=ana_contract,
        payload={"email": "x@example.pt", "phone": "", "mobile": ""},
    )
    request = RequestFactory().get("/")
    assert ana_contract.account  # the detail page has it already (select_related)

    with django_assert_num_queries(1):
        html = {field: change_actions(ana_contract, field, request) for field in FIELDS}

    assert "Alteração pendente" in html["contact"]
    assert all("Alteração pendente" not in html[f] for f in FIELDS if f != "contact")


def test_the_contract_page_shows_the_buttons_and_the_pending_change(
    ana_client, ana, ana_contract, make_request
):
    from django.urls import reverse

    url = reverse("contracts:detail", args=[ana_contract.contract_number])
    html = ana_client.get(url).content.decode()
    assert (
        reverse("service_requests:change", args=[ana_contract.contract_number, "e_invoice_on"])
        in html
    )
    assert "Alteração pendente" not in html

    make_request(
        ana,
        request_type=RequestType.E_INVOICE_ON,
        contract=ana_contract,
        payload={"email": "faturas@example.pt", "accepted_terms": True},
    )
    html = ana_client.get(url).content.decode()

    assert html.count("Alteração pendente") == 1
    assert "e_invoice_on" not in html
    assert "direct_debit_on" in html


def test_a_change_of_a_shared_account_is_pending_on_every_contract_of_it(
    ana, ana_contract, make_request, change_actions
):
    from balcao.contracts.tests.factories import ContractFactory

    sibling = ContractFactory(customer=ana_contract.customer, account=ana_contract.account)
    make_request(
        ana,
        request_type=RequestType.BILLING_ADDRESS,
        contract=ana_contract,
    )

    assert "Alteração pendente" in change_actions(sibling, "billing_address")
    assert "Alteração pendente" not in change_actions(sibling, "termination")
