"""The customer service's side in the admin: the queue and the actions, each an event."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from balcao.service_requests.models import RequestEvent, RequestType, ServiceRequest

pytestmark = pytest.mark.django_db


def action_url(service_request, action):
    return reverse(
        "admin:service_requests_servicerequest_action", args=[service_request.pk, action]
    )


def change_url(service_request):
    return reverse("admin:service_requests_servicerequest_change", args=[service_request.pk])


def test_the_queue_is_oldest_first_with_status_and_type_filters(
    clerk_client, ana, bruno, make_request
):
    with time_machine.travel(datetime.datetime(2026, 2, 1, 9, tzinfo=datetime.UTC)):
        older = make_request(bruno, description="Mais antigo")
    with time_machine.travel(datetime.datetime(2026, 2, 3, 9, tzinfo=datetime.UTC)):
        newer = make_request(ana, description="Mais recente")

    url = reverse("admin:service_requests_servicerequest_changelist")
    response = clerk_client.get(url)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index(f">{older.number}<") < html.index(f">{newer.number}<")
    filtered = clerk_client.get(url, {"status__exact": "closed"}).content.decode()
    assert f">{older.number}<" not in filtered
    by_type = clerk_client.get(url, {"request_type__exact": "information"}).content.decode()
    assert f">{newer.number}<" in by_type


def test_the_request_page_shows_customer_contract_history_and_the_allowed_actions(
    clerk_client, ana, ana_contract, make_request
):
    earlier = make_request(ana, request_type=RequestType.COMPLAINT, contract=ana_contract)
    service_request = make_request(ana, request_type=RequestType.NO_WATER, contract=ana_contract)

    html = clerk_client.get(change_url(service_request)).content.decode()

    assert "Ana Silva" in html and ana_contract.contract_number in html
    assert str(earlier.number) in html  # the customer's other requests
    assert "Em resolução" in html and "Responder e fechar" in html
    assert "Aceitar e aplicar" not in html  # not a change of the contract
    assert 'name="_save"' not in html  # nothing is edited by hand


def test_in_progress_then_answer_and_close_emails_each_step_and_records_the_clerk(
    clerk_client, clerk, ana, ana_contract, make_request, django_capture_on_commit_callbacks
):
    service_request = make_request(ana, request_type=RequestType.NO_WATER, contract=ana_contract)

    with django_capture_on_commit_callbacks(execute=True):
        clerk_client.post(action_url(service_request, "em-resolucao"))
    service_request.refresh_from_db()
    assert service_request.status == ServiceRequest.Status.IN_PROGRESS

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk_client.post(
            action_url(service_request, "responder"),
            {"resolution": "Houve uma avaria na conduta; o abastecimento foi reposto às 14h."},
            follow=True,
        )

    service_request.refresh_from_db()
    assert response.status_code == 200
    assert service_request.status == ServiceRequest.Status.CLOSED
    assert service_request.outcome == ServiceRequest.Outcome.ANSWERED
    assert service_request.closed_at is not None
    assert [m.subject for m in mail.outbox] == [
        f"Pedido n.º {service_request.number}: Em resolução",
        f"Pedido n.º {service_request.number}: Fechado",
    ]
    assert "o abastecimento foi reposto às 14h" in mail.outbox[1].body
    staff_events = service_request.events.exclude(kind=RequestEvent.Kind.NOTIFIED)
    assert list(staff_events.values_list("kind", "actor", "from_status", "to_status")) == [
        ("submitted", ana.pk, "", "submitted"),
        ("in_progress", clerk.pk, "submitted", "in_progress"),
        ("answered", clerk.pk, "in_progress", "closed"),
    ]


def test_answering_needs_a_text(clerk_client, ana, make_request):
    service_request = make_request(ana)

    response = clerk_client.post(action_url(service_request, "responder"), {"resolution": ""})

    assert response.status_code == 200
    assert "Este campo é obrigatório" in response.content.decode()
    service_request.refresh_from_db()
    assert service_request.status == ServiceRequest.Status.SUBMITTED


def test_a_closed_request_does_not_move_again(clerk_client, clerk, ana, make_request):
    service_request = make_request(ana)
    clerk_client.post(action_url(service_request, "responder"), {"resolution": "Respondido."})

    response = clerk_client.post(action_url(service_request, "em-resolucao"), follow=True)

    assert "Esta ação já não é possível" in response.content.decode()
    service_request.refresh_from_db()
    assert service_request.status == ServiceRequest.Status.CLOSED
    assert service_request.events.filter(kind="in_progress").count() == 0


def test_the_queue_action_moves_the_selected_requests_to_in_progress(
    clerk_client, ana, bruno, make_request
):
    first, second = make_request(ana), make_request(bruno)

    clerk_client.post(
        reverse("admin:service_requests_servicerequest_changelist"),
        {"action": "mark_in_progress", "_selected_action": [first.pk, second.pk]},
    )

    assert set(ServiceRequest.objects.values_list("status", flat=True)) == {"in_progress"}


def test_a_customer_cannot_reach_the_staff_actions(ana_client, ana, make_request):
    service_request = make_request(ana)

    response = ana_client.post(action_url(service_request, "responder"), {"resolution": "x"})

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    service_request.refresh_from_db()
    assert service_request.status == ServiceRequest.Status.SUBMITTED
