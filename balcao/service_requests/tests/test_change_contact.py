"""Alterar contactos: the holder's e-mail, telephone and mobile, applied on acceptance."""

import pytest
from django.urls import reverse

from balcao.service_requests.models import ServiceRequest

pytestmark = pytest.mark.django_db


def url(contract):
    return reverse("service_requests:change", args=[contract.contract_number, "contact_change"])


def test_the_form_starts_with_the_current_contacts(ana_client, ana_contract):
    html = ana_client.get(url(ana_contract)).content.decode()

    assert 'value="ana.silva@example.pt"' in html
    assert 'value="244000000"' in html


def test_new_contacts_reach_the_customer_only_on_acceptance(ana_client, ana_contract, staff_action):
    ana_client.post(
        url(ana_contract),
        {
            "new_email": "ana.nova@example.pt",
            "new_phone": "244 123 456",
            "new_mobile": "912 345 678",
            "channel": "none",
        },
    )
    service_request = ServiceRequest.objects.get()
    customer = ana_contract.customer
    customer.refresh_from_db()
    assert customer.email == "ana.silva@example.pt"

    staff_action(service_request, "aceitar", {"message": ""})

    customer.refresh_from_db()
    assert (customer.email, customer.phone, customer.mobile) == (
        "ana.nova@example.pt",
        "244123456",
        "912345678",
    )


def test_a_bad_phone_number_is_refused(ana_client, ana_contract):
    response = ana_client.post(
        url(ana_contract),
        {"new_email": "ana.silva@example.pt", "new_phone": "12", "channel": "none"},
    )

    assert "Indique um número de telefone com 9 algarismos" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_the_same_contacts_are_not_a_change(ana_client, ana_contract):
    response = ana_client.post(
        url(ana_contract),
        {"new_email": "ana.silva@example.pt", "new_phone": "244000000", "channel": "none"},
    )

    assert "iguais aos que já constam" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_a_mobile_number_must_start_with_9(ana_client, ana_contract):
    from balcao.service_requests.models import ServiceRequest

    target = reverse(
        "service_requests:change", args=[ana_contract.contract_number, "contact_change"]
    )
    response = ana_client.post(
        target, {"new_email": "", "new_phone": "", "new_mobile": "244 817 300", "channel": "none"}
    )

    assert "Indique o telemóvel com 9 algarismos, a começar por 9" in response.content.decode()
    assert not ServiceRequest.objects.exists()

    response = ana_client.post(
        target, {"new_email": "", "new_phone": "", "new_mobile": "913 456 789", "channel": "none"}
    )
    assert response.status_code == 302
    assert ServiceRequest.objects.get().payload["mobile"] == "913456789"
