"""The staff's queue (admin, group Atendimento): evaluate, approve or reject, print letters."""

import pytest
from django.core import mail
from django.urls import reverse

from balcao.contracts.models import Letter, Subscription, SubscriptionEvent
from balcao.contracts.tests.conftest import codes_in, numbers

Kind = SubscriptionEvent.Kind


@pytest.fixture
def unmatched(carla_client, carla, letter_contract):
    """Carla typed a wrong account number: the request waits for a clerk."""
    carla_client.post(reverse("contracts:add"), numbers(letter_contract, account_number="300099"))
    subscription = carla.subscriptions.get()
    assert subscription.status == Subscription.Status.EVALUATING
    return subscription


def test_queue_shows_the_request_with_the_users_and_the_customers_data(
    staff_client, unmatched, letter_contract
):
    url = reverse("admin:contracts_subscription_changelist")
    response = staff_client.get(url, {"status__exact": "evaluating"})
    assert response.status_code == 200
    assert "carla" in response.content.decode()
    page = staff_client.get(reverse("admin:contracts_subscription_change", args=[unmatched.pk]))
    html = page.content.decode()
    assert "Aprovar e enviar código" in html and "Rejeitar" in html
    assert "carla.dias@example.pt" in html  # the user's side
    assert "Rosa Marques" in html and "600007" in html  # the customer's side
    assert "300099" in html and "300002" in html


def test_clerk_approves_choosing_the_contract_and_the_letter_follows(
    staff_client, clerk, carla_client, unmatched, letter_contract, print_letters
):
    approve = reverse("admin:contracts_subscription_approve", args=[unmatched.pk])
    assert staff_client.get(approve).status_code == 200
    response = staff_client.post(approve, {"contract_number": "nope"})
    assert "Não há nenhum contrato com este número." in response.content.decode()
    response = staff_client.post(approve, {"contract_number": "600007"})
    assert response.status_code == 302
    unmatched.refresh_from_db()
    assert unmatched.contract == letter_contract
    assert unmatched.status == Subscription.Status.AWAITING_ACTIVATION
    event = unmatched.events.get(kind=Kind.APPROVED)
    assert event.actor == clerk
    [code] = codes_in(print_letters())
    assert unmatched.events.get(kind=Kind.LETTER_SENT).actor == clerk
    response = carla_client.post(
        reverse("contracts:activate_code", args=[unmatched.reference]), {"code": code}, follow=True
    )
    assert "Contrato ativado com sucesso" in response.content.decode()


def test_clerk_rejects_with_a_reason_the_user_sees(
    staff_client, clerk, carla_client, unmatched, django_capture_on_commit_callbacks
):
    reject = reverse("admin:contracts_subscription_reject", args=[unmatched.pk])
    response = staff_client.post(reject, {"reason": ""})
    assert "Indique o motivo da rejeição." in response.content.decode()
    reason = "Os números não correspondem a nenhum contrato em seu nome."
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reject, {"reason": reason})
    assert response.status_code == 302
    unmatched.refresh_from_db()
    assert unmatched.status == Subscription.Status.REJECTED
    assert unmatched.events.get(kind=Kind.REJECTED).actor == clerk
    [message] = mail.outbox
    assert message.to == ["carla.dias@example.pt"] and reason in message.body

    html = carla_client.get(reverse("contracts:list")).content.decode()
    assert "Rejeitado" in html
    page = carla_client.get(reverse("contracts:request", args=[unmatched.reference]))
    assert reason in page.content.decode()


def test_a_decided_request_cannot_be_decided_again(staff_client, unmatched):
    reject = reverse("admin:contracts_subscription_reject", args=[unmatched.pk])
    staff_client.post(reject, {"reason": "Não corresponde."})
    approve = reverse("admin:contracts_subscription_approve", args=[unmatched.pk])
    response = staff_client.post(approve, {"contract_number": "600007"})
    assert "já não está em avaliação" in response.content.decode()
    unmatched.refresh_from_db()
    assert unmatched.status == Subscription.Status.REJECTED


def test_printing_marks_letters_sent_and_keeps_each_pdf(
    staff_client, carla_client, letter_contract, settings, print_letters
):
    carla_client.post(reverse("contracts:add"), numbers(letter_contract))
    print_letters()
    letter = Letter.objects.get()
    assert letter.printed_at is not None
    assert (settings.LETTERS_DIR / letter.file).is_file()
    # Printing again finds nothing pending.
    response = staff_client.post(
        reverse("admin:contracts_letter_changelist"),
        {"action": "print_action", "_selected_action": [letter.pk]},
        follow=True,
    )
    assert "Não há cartas por imprimir" in response.content.decode()
    # The kept PDF can be opened from the admin.
    kept = staff_client.get(reverse("admin:contracts_letter_pdf", args=[letter.pk]))
    assert kept["Content-Type"] == "application/pdf"


def test_a_customer_cannot_reach_the_queue(carla_client, unmatched):
    response = carla_client.get(reverse("admin:contracts_subscription_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
