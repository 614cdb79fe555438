"""Alterar morada de envio das faturas (manual 6.2 point 2 B): all fields, applied on acceptance."""

import pytest
from django.urls import reverse

from balcao.core.models import Address, Municipality, Parish
from balcao.service_requests.models import ServiceRequest

pytestmark = pytest.mark.django_db


def url(contract):
    return reverse("service_requests:change", args=[contract.contract_number, "billing_address"])


def address_data():
    leiria = Municipality.objects.get(code="1009")
    parish = Parish.objects.filter(municipality=leiria, valid_to__isnull=True).first()
    return {
        "street": "Avenida Heróis de Angola",
        "door": "45",
        "floor": "3.º Dto.",
        "postal_code": "2400153",
        "postal_locality": "leiria",
        "district": leiria.district_id,
        "municipality": leiria.pk,
        "parish": parish.pk,
        "locality": "Leiria",
        "channel": "none",
        "contact_value": "",
    }


def test_the_page_has_the_manuals_note_and_every_field(ana_client, ana_contract, change_actions):
    assert "Alterar morada de envio das faturas" in change_actions(ana_contract, "billing_address")

    html = ana_client.get(url(ana_contract)).content.decode()

    assert "As alterações só ficarão disponíveis, na próxima fatura" in html
    labels = (
        "Rua|Porta|Andar|Código postal|Localidade postal|Distrito|Concelho|Freguesia|Localidade"
    )
    for label in labels.split("|"):
        assert f">{label}" in html


def test_every_field_is_required(ana_client, ana_contract):
    data = address_data()
    for name in ("door", "parish", "locality"):
        data[name] = ""

    response = ana_client.post(url(ana_contract), data)

    assert response.content.decode().count("Este campo é obrigatório") >= 3
    assert not ServiceRequest.objects.exists()


def test_the_new_address_reaches_the_account_only_on_acceptance(
    ana_client, ana_contract, staff_action
):
    account = ana_contract.account
    old_address_pk = account.billing_address_id

    ana_client.post(url(ana_contract), address_data())

    service_request = ServiceRequest.objects.get()
    assert service_request.new_address.postal_code == "2400-153"
    assert service_request.new_address.postal_locality == "LEIRIA"
    account.refresh_from_db()
    assert account.billing_address_id == old_address_pk

    staff_action(service_request, "aceitar", {"message": ""})

    account.refresh_from_db()
    assert account.billing_address_id == service_request.new_address_id != old_address_pk
    assert account.billing_address.street == "Avenida Heróis de Angola"
    assert Address.objects.filter(pk=old_address_pk).exists()  # the old row is kept
    assert "próxima fatura" in service_request.resolution
