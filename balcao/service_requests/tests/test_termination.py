"""Rescisão do contrato, with the final reading date wanted; the contract ends on acceptance."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from balcao.contracts.models import Contract, ContractEvent
from balcao.service_requests.models import ServiceRequest

pytestmark = pytest.mark.django_db


def url(contract):
    return reverse("service_requests:change", args=[contract.contract_number, "termination"])


@time_machine.travel(datetime.datetime(2026, 5, 4, 10, tzinfo=datetime.UTC))
def test_a_date_in_the_past_is_refused(ana_client, ana_contract):
    response = ana_client.post(
        url(ana_contract), {"final_reading_date": "03/05/2026", "channel": "none"}
    )

    assert "não pode ser anterior a hoje" in response.content.decode()
    assert not ServiceRequest.objects.exists()


@time_machine.travel(datetime.datetime(2026, 5, 4, 10, tzinfo=datetime.UTC))
def test_termination_ends_the_contract_on_the_wanted_date_once_accepted(
    ana_client, ana_contract, staff_action, change_actions
):
    assert "Rescisão do contrato" in change_actions(ana_contract, "termination")

    ana_client.post(
        url(ana_contract),
        {
            "final_reading_date": "29/05/2026",
            "description": "O contador está na garagem.",
            "channel": "none",
        },
    )
    service_request = ServiceRequest.objects.get()
    ana_contract.refresh_from_db()
    assert ana_contract.status == Contract.Status.ACTIVE
    assert "Alteração pendente" in change_actions(ana_contract, "termination")
    detail = ana_client.get(reverse("service_requests:detail", args=[service_request.number]))
    assert "29/05/2026" in detail.content.decode()

    staff_action(service_request, "aceitar", {"message": ""})

    ana_contract.refresh_from_db()
    assert ana_contract.status == Contract.Status.ENDED
    assert ana_contract.end_date == datetime.date(2026, 5, 29)
    assert change_actions(ana_contract, "termination").strip() == ""


def test_an_ended_contract_takes_no_change_requests(ana_client, ana_contract):
    ana_contract.status = Contract.Status.ENDED
    ana_contract.save()

    response = ana_client.get(url(ana_contract), follow=True)

    assert "não é possível pedir alterações" in response.content.decode()


@time_machine.travel(datetime.datetime(2026, 5, 4, 10, tzinfo=datetime.UTC))
def test_the_accepted_termination_leaves_an_event_on_the_contract(
    ana_client, ana_contract, staff_action, clerk, clerk_browser
):
    ana_client.post(url(ana_contract), {"final_reading_date": "29/05/2026", "channel": "none"})
    service_request = ServiceRequest.objects.get()
    assert not ana_contract.events.exists()

    staff_action(service_request, "aceitar", {"message": ""})

    event = ana_contract.events.get()
    assert (event.kind, event.actor) == (ContractEvent.Kind.ENDED, clerk)
    assert f"Pedido n.º {service_request.number}" in event.note
    assert "29/05/2026" in event.note
    # The staff see it in the contract's history.
    page = clerk_browser.get(reverse("admin:contracts_contract_change", args=[ana_contract.pk]))
    assert "Contrato terminado" in page.content.decode()


@pytest.mark.parametrize(
    "typed", ["29/05/2026", "29-05-2026", "29.05.2026", "29052026", "29 5 2026"]
)
@time_machine.travel(datetime.datetime(2026, 5, 4, 10, tzinfo=datetime.UTC))
def test_the_date_is_taken_as_people_type_it(ana_client, ana_contract, typed):
    page = ana_client.get(url(ana_contract)).content.decode()
    field = page[page.index('name="final_reading_date"') - 200 :]
    field = field[: field.index(">")]
    assert 'inputmode="numeric"' not in field  # the phone's keyboard has the separator

    response = ana_client.post(url(ana_contract), {"final_reading_date": typed, "channel": "none"})

    assert response.status_code == 302
    assert ServiceRequest.objects.get().payload["final_reading_date"] == "2026-05-29"


def test_a_date_that_does_not_exist_says_the_format(ana_client, ana_contract):
    response = ana_client.post(
        url(ana_contract), {"final_reading_date": "31/02/2026", "channel": "none"}
    )

    html = response.content.decode()
    assert "Indique «data pretendida para a leitura final» como dd/mm/aaaa" in html
    assert not ServiceRequest.objects.exists()
