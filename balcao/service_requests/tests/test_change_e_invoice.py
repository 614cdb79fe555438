"""Fatura eletrónica "Ativar"/"Desativar" (manual 6.2 point 2 A): applied on acceptance."""

import pytest
from django.core import mail
from django.urls import reverse

from balcao.service_requests.models import RequestType, ServiceRequest

pytestmark = pytest.mark.django_db


def url(contract, kind):
    return reverse("service_requests:change", args=[contract.contract_number, kind])


def test_activation_is_a_request_and_changes_nothing_until_accepted(
    ana_client, ana_contract, change_actions, staff_action, django_capture_on_commit_callbacks
):
    assert f'href="{url(ana_contract, "e_invoice_on")}"' in change_actions(
        ana_contract, "e_invoice"
    )
    page = ana_client.get(url(ana_contract, "e_invoice_on")).content.decode()
    assert "Ativação da fatura eletrónica" in page
    assert "Li e aceito as condições de adesão à fatura eletrónica." in page
    assert "Pretende receber a resposta ao pedido por:" in page and "Valor do contacto" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = ana_client.post(
            url(ana_contract, "e_invoice_on"),
            {
                "email": "faturas.ana@example.pt",
                "accept_terms": "on",
                "channel": "email",
                "contact_value": "ana.silva@example.pt",
            },
            follow=True,
        )

    service_request = ServiceRequest.objects.get()
    assert service_request.request_type == RequestType.E_INVOICE_ON
    assert service_request.payload["email"] == "faturas.ana@example.pt"
    assert "submetido" in response.content.decode()
    account = ana_contract.account
    account.refresh_from_db()
    assert account.e_invoice is False  # nothing changes before the clerk accepts
    assert "Alteração pendente" in change_actions(ana_contract, "e_invoice")
    assert "Alteração pendente" not in change_actions(ana_contract, "direct_debit")

    with django_capture_on_commit_callbacks(execute=True):
        staff_action(service_request, "aceitar", {"message": ""})

    account.refresh_from_db()
    assert account.e_invoice is True
    assert account.e_invoice_email == "faturas.ana@example.pt"
    assert service_request.status == ServiceRequest.Status.CLOSED
    assert service_request.outcome == ServiceRequest.Outcome.ACCEPTED
    assert "faturas.ana@example.pt" in service_request.resolution
    assert "Desativar" in change_actions(ana_contract, "e_invoice")
    assert [m.subject.split(": ")[1] for m in mail.outbox] == ["Submetido", "Fechado"]


def test_the_conditions_must_be_accepted(ana_client, ana_contract):
    response = ana_client.post(
        url(ana_contract, "e_invoice_on"),
        {"email": "faturas.ana@example.pt", "channel": "none"},
    )

    assert "confirme que leu e aceita as condições" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_deactivation_after_acceptance_sends_invoices_back_to_paper(
    ana_client, ana_contract, staff_action
):
    account = ana_contract.account
    account.e_invoice, account.e_invoice_email = True, "faturas.ana@example.pt"
    account.save()

    ana_client.post(url(ana_contract, "e_invoice_off"), {"channel": "none"})
    service_request = ServiceRequest.objects.get(request_type=RequestType.E_INVOICE_OFF)
    staff_action(service_request, "aceitar", {"message": "Cancelada, como pediu."})

    account.refresh_from_db()
    assert account.e_invoice is False and account.e_invoice_email == ""
    assert service_request.resolution == "Cancelada, como pediu."


def test_a_rejected_request_leaves_the_account_as_it_was(ana_client, ana_contract, staff_action):
    ana_client.post(
        url(ana_contract, "e_invoice_on"),
        {"email": "faturas.ana@example.pt", "accept_terms": "on", "channel": "none"},
    )
    service_request = ServiceRequest.objects.get()

    response = staff_action(service_request, "rejeitar", {"reason": ""})
    assert "Este campo é obrigatório" in response.content.decode()
    assert service_request.is_open

    staff_action(service_request, "rejeitar", {"reason": "O e-mail indicado não é válido."})

    ana_contract.account.refresh_from_db()
    assert ana_contract.account.e_invoice is False
    assert service_request.outcome == ServiceRequest.Outcome.REJECTED
    assert service_request.resolution == "O e-mail indicado não é válido."
    detail = ana_client.get(reverse("service_requests:detail", args=[service_request.number]))
    assert "O e-mail indicado não é válido." in detail.content.decode()


def test_a_second_request_while_one_is_pending_is_refused(ana_client, ana_contract):
    data = {"email": "faturas.ana@example.pt", "accept_terms": "on", "channel": "none"}
    ana_client.post(url(ana_contract, "e_invoice_on"), data)

    response = ana_client.post(url(ana_contract, "e_invoice_on"), data, follow=True)

    assert "Já existe um pedido desta alteração em curso" in response.content.decode()
    assert ServiceRequest.objects.count() == 1


def test_bruno_cannot_ask_changes_on_anas_contract(bruno_client, ana_contract):
    response = bruno_client.post(
        url(ana_contract, "e_invoice_on"),
        {"email": "bruno@example.pt", "accept_terms": "on", "channel": "none"},
    )

    assert response.status_code == 404
    assert not ServiceRequest.objects.exists()
