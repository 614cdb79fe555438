"""After sending a request, the customer adds a message to it or withdraws it while nobody
has started it (issue 11, item 12)."""

import pytest
from django.test import Client
from django.urls import reverse

from balcao.service_requests.models import RequestEvent, ServiceRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(ana, make_request):
    return make_request(ana)


def test_a_message_joins_the_history_the_clerk_reads(ana_client, sent, clerk_browser, staff_action):
    detail = reverse("service_requests:detail", args=[sent.number])
    assert reverse("service_requests:message", args=[sent.number]) in ana_client.get(detail).text

    response = ana_client.post(
        reverse("service_requests:message", args=[sent.number]),
        {"text": "Afinal o contador fica na garagem, não na rua."},
        follow=True,
    )
    assert "A sua mensagem foi juntada ao pedido." in response.text
    assert "Afinal o contador fica na garagem" in response.text  # in the customer's history
    event = sent.events.get(kind=RequestEvent.Kind.MESSAGE)
    assert event.actor.username == "ana"

    admin = clerk_browser.get(
        reverse("admin:service_requests_servicerequest_change", args=[sent.pk])
    ).text
    assert "Mensagem do cliente" in admin and "Afinal o contador fica na garagem" in admin

    # Still possible once a clerk has it, not once it is closed.
    staff_action(sent, "em-resolucao")
    ana_client.post(reverse("service_requests:message", args=[sent.number]), {"text": "Mais."})
    assert sent.events.filter(kind=RequestEvent.Kind.MESSAGE).count() == 2
    staff_action(sent, "responder", {"resolution": "Trocámos o contador."})
    response = ana_client.post(
        reverse("service_requests:message", args=[sent.number]), {"text": "Obrigada."}, follow=True
    )
    assert "já está fechado" in response.text
    assert sent.events.filter(kind=RequestEvent.Kind.MESSAGE).count() == 2
    assert (
        reverse("service_requests:message", args=[sent.number])
        not in ana_client.get(reverse("service_requests:detail", args=[sent.number])).text
    )


def test_an_empty_message_is_refused_next_to_the_field(ana_client, sent):
    response = ana_client.post(
        reverse("service_requests:message", args=[sent.number]), {"text": "   "}
    )
    assert response.status_code == 200
    assert "Erro:" in response.text and "Escreva a mensagem" in response.text
    assert not sent.events.filter(kind=RequestEvent.Kind.MESSAGE).exists()


def test_a_request_nobody_started_is_withdrawn_and_leaves_the_queue(
    ana_client, sent, clerk_browser
):
    detail = reverse("service_requests:detail", args=[sent.number])
    withdraw = reverse("service_requests:withdraw", args=[sent.number])
    assert withdraw in ana_client.get(detail).text
    assert "Retirar o pedido" in ana_client.get(withdraw).text

    response = ana_client.post(withdraw, follow=True)
    assert f"O pedido n.º {sent.number} foi retirado." in response.text
    sent.refresh_from_db()
    assert sent.status == ServiceRequest.Status.CLOSED
    assert sent.outcome == ServiceRequest.Outcome.WITHDRAWN
    assert sent.events.filter(
        kind=RequestEvent.Kind.WITHDRAWN, from_status="submitted", to_status="closed"
    ).exists()
    assert withdraw not in response.text

    queue = clerk_browser.get(
        reverse("admin:service_requests_servicerequest_changelist") + "?status__exact=submitted"
    ).text
    assert str(sent.number) not in queue


def test_a_request_a_clerk_has_started_cannot_be_withdrawn(ana_client, sent, staff_action):
    staff_action(sent, "em-resolucao")
    withdraw = reverse("service_requests:withdraw", args=[sent.number])
    assert (
        withdraw not in ana_client.get(reverse("service_requests:detail", args=[sent.number])).text
    )
    response = ana_client.post(withdraw, follow=True)
    assert "não pode ser retirado" in response.text
    sent.refresh_from_db()
    assert sent.status == ServiceRequest.Status.IN_PROGRESS


def test_someone_elses_request_is_404(bruno, sent):
    other = Client()
    other.force_login(bruno)
    assert other.post(reverse("service_requests:withdraw", args=[sent.number])).status_code == 404
    response = other.post(reverse("service_requests:message", args=[sent.number]), {"text": "x"})
    assert response.status_code == 404
    sent.refresh_from_db()
    assert sent.status == ServiceRequest.Status.SUBMITTED
