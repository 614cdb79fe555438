"""Débito direto "Ativar": IBAN, holder, the SEPA mandate; the mandate exists once accepted."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from balcao.billing.models import DirectDebitMandate
from balcao.core.transitions import TransitionNotAllowed
from balcao.service_requests import services
from balcao.service_requests.models import RequestType, ServiceRequest

pytestmark = pytest.mark.django_db

IBAN = "PT50 0002 0123 1234 5678 9015 4"


def url(contract):
    return reverse("service_requests:change", args=[contract.contract_number, "direct_debit_on"])


def submit(client, contract, **overrides):
    data = {
        "iban": IBAN,
        "bic": "",
        "holder_name": "Ana Silva",
        "accept_mandate": "on",
        "channel": "email",
        "contact_value": "ana.silva@example.pt",
    }
    data.update(overrides)
    return client.post(url(contract), data, follow=True)


def test_the_page_shows_the_mandate_with_the_creditor_and_the_authorisation(
    ana_client, ana_contract, settings
):
    html = ana_client.get(url(ana_contract)).content.decode()

    assert "Autorização de débito direto SEPA" in html
    assert settings.UTILITY["creditor_id"] in html
    assert "reembolso" in html and "oito semanas" in html
    assert "Nome do titular da conta" in html and "IBAN" in html


@pytest.mark.parametrize(
    "iban", ["PT50 0002 0123 1234 5678 9015 5", "PT50 0002", "12345", "XX50000201231234567890154"]
)
def test_an_invalid_iban_is_refused_next_to_the_field(ana_client, ana_contract, iban):
    response = submit(ana_client, ana_contract, iban=iban)

    html = response.content.decode()
    assert "Indique um IBAN válido" in html
    assert 'aria-invalid="true"' in html
    assert not ServiceRequest.objects.exists()


def test_the_mandate_must_be_accepted(ana_client, ana_contract):
    response = submit(ana_client, ana_contract, accept_mandate="")

    assert "aceite a autorização de débito direto" in response.content.decode()
    assert not ServiceRequest.objects.exists()


def test_acceptance_creates_the_mandate_and_switches_invoices_to_direct_debit(
    ana_client, ana_contract, staff_action, settings
):
    with time_machine.travel(datetime.datetime(2026, 4, 10, 12, tzinfo=datetime.UTC)):
        submit(ana_client, ana_contract)
    service_request = ServiceRequest.objects.get(request_type=RequestType.DIRECT_DEBIT_ON)
    assert service_request.payload["iban"] == "PT50000201231234567890154"
    assert not DirectDebitMandate.objects.exists()
    ana_contract.account.refresh_from_db()
    assert ana_contract.account.direct_debit is False

    staff_action(service_request, "aceitar", {"message": ""})

    mandate = DirectDebitMandate.objects.get()
    assert mandate.account == ana_contract.account
    assert mandate.iban == "PT50000201231234567890154"
    assert mandate.debtor_name == "Ana Silva"
    assert mandate.creditor_identifier == settings.UTILITY["creditor_id"]
    assert mandate.creditor_name == settings.UTILITY["name"]
    assert mandate.payment_type == DirectDebitMandate.PaymentType.RECURRENT
    assert mandate.signed_at == datetime.date(2026, 4, 10)
    assert "oito semanas" in mandate.authorisation_text
    assert mandate.reference.startswith(f"ADD-{ana_contract.account.account_number}-")
    ana_contract.account.refresh_from_db()
    assert ana_contract.account.direct_debit is True
    assert mandate.reference in service_request.resolution
    assert "PT50 **** **** **** 0154" in service_request.resolution


def test_a_double_click_applies_the_change_once(ana_client, ana_contract, staff_action):
    submit(ana_client, ana_contract)
    service_request = ServiceRequest.objects.get()

    staff_action(service_request, "aceitar", {"message": ""})
    response = staff_action(service_request, "aceitar", {"message": ""})

    assert "já não é possível" in response.content.decode()
    assert DirectDebitMandate.objects.count() == 1
    assert service_request.events.filter(kind="accepted").count() == 1


def test_two_clerks_with_the_same_page_open_apply_it_once(ana_client, ana_contract, clerk):
    submit(ana_client, ana_contract)
    # Both clerks loaded the request while it was still open.
    first_view = ServiceRequest.objects.get()
    second_view = ServiceRequest.objects.get()

    services.accept_and_apply(service_request=first_view, actor=clerk)
    with pytest.raises(TransitionNotAllowed):
        services.accept_and_apply(service_request=second_view, actor=clerk)
    with pytest.raises(TransitionNotAllowed):
        services.reject(service_request=second_view, actor=clerk, reason="Tarde demais")

    assert DirectDebitMandate.objects.count() == 1
    assert ServiceRequest.objects.get().outcome == ServiceRequest.Outcome.ACCEPTED


def test_a_failed_application_changes_nothing(ana_client, ana_contract, clerk, monkeypatch):
    submit(ana_client, ana_contract)
    service_request = ServiceRequest.objects.get()

    def broken(**kwargs):
        raise RuntimeError("bank file unavailable")

    # The mandate is created, then something fails before the request closes: all or nothing.
    monkeypatch.setattr(services.workflow, "_record", lambda *a, **k: broken())
    with pytest.raises(RuntimeError):
        services.accept_and_apply(service_request=service_request, actor=clerk)

    assert not DirectDebitMandate.objects.exists()
    ana_contract.account.refresh_from_db()
    assert ana_contract.account.direct_debit is False
    assert ServiceRequest.objects.get().is_open


def test_the_direct_debit_button_disappears_once_active(ana_contract, change_actions):
    assert "o débito direto" in change_actions(ana_contract, "direct_debit")
    ana_contract.account.direct_debit = True
    ana_contract.account.save()

    assert "Ativar" not in change_actions(ana_contract, "direct_debit")
