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


def test_the_required_fields_say_what_to_do(ana_client, ana_contract):
    data = address_data()
    for name in ("door", "parish", "locality"):
        data[name] = ""

    html = ana_client.post(url(ana_contract), data).content.decode()

    assert "Este campo é obrigatório" not in html
    for message in ("Indique a porta.", "Escolha a freguesia.", "Indique a localidade."):
        assert html.count(message) == 2  # in the summary and beside the field
    assert not ServiceRequest.objects.exists()


def test_only_the_optional_field_is_marked(ana_client, ana_contract):
    html = ana_client.get(url(ana_contract)).content.decode()

    assert "Todos os campos são de preenchimento obrigatório" not in html
    assert ">Andar (opcional)</label>" in html
    assert ">Porta</label>" in html and ">Rua</label>" in html
    assert "Noutro concelho, deixe em branco." in html  # the hint of Freguesia


def lisbon():
    return Municipality.objects.get(district__name="Lisboa", name="Lisboa")


def test_an_address_in_lisbon_is_sent_without_a_freguesia(ana_client, ana_contract):
    data = address_data()
    data.update(
        street="Avenida da República",
        postal_code="1050 185",
        postal_locality="Lisboa",
        district=lisbon().district_id,
        municipality=lisbon().pk,
        parish="",
        locality="Lisboa",
    )

    response = ana_client.post(url(ana_contract), data)

    assert response.status_code == 302, response.content.decode()
    address = ServiceRequest.objects.get().new_address
    assert (address.municipality, address.parish, address.postal_code) == (
        lisbon(),
        None,
        "1050-185",
    )


def test_a_concelho_of_another_district_is_refused(ana_client, ana_contract):
    data = address_data()
    data["municipality"] = lisbon().pk  # the district is still Leiria's

    html = ana_client.post(url(ana_contract), data).content.decode()

    assert "Escolha um concelho do distrito de Leiria." in html
    assert not ServiceRequest.objects.exists()


def test_escolher_distrito_lists_its_concelhos_without_javascript(ana_client, ana_contract):
    """The no-JavaScript path: the button sends the form back with that district's concelhos,
    what was typed kept, no error and nothing stored."""
    data = address_data()
    data.update(district=lisbon().district_id, municipality="", escolher_distrito="1")

    response = ana_client.post(url(ana_contract), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" not in html and "<title>Erro:" not in html
    assert 'value="Avenida Heróis de Angola"' in html  # what was typed
    select = html[html.index('name="municipality"') :]
    select = select[: select.index("</select>")]
    assert ">Sintra</option>" in select and ">Lisboa</option>" in select
    assert ">Leiria</option>" not in select and ">Porto</option>" not in select
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
