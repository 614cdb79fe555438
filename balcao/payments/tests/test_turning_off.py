"""The customer's own "Desativar" beside "Débito direto" and "Fatura eletrónica" on the
contract page: a confirmation page, then the change at once (no clerk), confirmed by e-mail;
only on the user's own contract (bruno gets 404 on ana's)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from balcao.billing.documents import multibanco_for
from balcao.billing.models import DirectDebitMandate, MandateEvent
from balcao.billing.tests.factories import issue_month_invoice
from balcao.contracts.models import ContractEvent
from balcao.contracts.services.account_changes import start_e_invoice
from balcao.payments.services.direct_debit import collect_due_invoices

pytestmark = pytest.mark.django_db


def contract_page(client, contract):
    return client.get(reverse("contracts:detail", args=[contract.contract_number])).content.decode()


def test_desativar_revokes_the_mandate_at_once(
    ana_client, loja, django_capture_on_commit_callbacks
):
    sent = issue_month_invoice(loja, datetime.date(2026, 9, 1))
    collect_due_invoices(due_date=sent.due_date)  # in a file the bank has already
    not_sent = issue_month_invoice(loja, datetime.date(2026, 10, 1))
    url = reverse("contracts:direct_debit_off", args=[loja.contract_number])
    assert url in contract_page(ana_client, loja)  # "Desativar" beside "Débito direto"
    confirm = ana_client.get(url)
    assert confirm.status_code == 200
    assert "csrfmiddlewaretoken" in confirm.content.decode()
    assert DirectDebitMandate.objects.get().status == DirectDebitMandate.Status.ACTIVE

    with django_capture_on_commit_callbacks(execute=True):
        response = ana_client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("contracts:detail", args=[loja.contract_number])
    page = contract_page(ana_client, loja)
    assert "O débito direto foi desativado" in page
    assert url not in page
    mandate = DirectDebitMandate.objects.get()
    assert mandate.status == DirectDebitMandate.Status.CANCELLED
    assert mandate.cancelled_at is not None
    event = mandate.events.get()
    assert (event.kind, event.actor.username) == (MandateEvent.Kind.REVOKED, "ana")
    loja.account.refresh_from_db()
    assert loja.account.direct_debit is False
    assert loja.events.filter(kind=ContractEvent.Kind.DIRECT_DEBIT_OFF).exists()
    # The invoice not yet sent shows its Multibanco reference; the one sent is still debited.
    not_sent.refresh_from_db()
    reference = multibanco_for(not_sent)
    assert reference is not None
    sent_page = ana_client.get(reverse("billing:invoice", args=[sent.number])).content.decode()
    assert "Enviada ao banco" in sent_page
    assert "Referência" not in sent_page
    not_sent_page = ana_client.get(reverse("billing:invoice", args=[not_sent.number]))
    assert reference.formatted_reference in not_sent_page.content.decode()
    (message,) = mail.outbox
    assert message.subject == "O débito direto foi desativado"
    assert message.to == ["ana.silva@example.pt"]
    assert reference.formatted_reference in message.body
    assert "já enviada ao banco" in message.body


def test_only_the_owner_can_turn_off_direct_debit(client, bruno, loja):
    client.force_login(bruno)
    url = reverse("contracts:direct_debit_off", args=[loja.contract_number])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert DirectDebitMandate.objects.get().status == DirectDebitMandate.Status.ACTIVE


def test_no_direct_debit_nothing_to_turn_off(ana_client, casa):
    url = reverse("contracts:direct_debit_off", args=[casa.contract_number])
    assert url not in contract_page(ana_client, casa)
    assert ana_client.post(url).status_code == 404


def test_desativar_e_invoice_at_once(ana_client, casa, django_capture_on_commit_callbacks):
    start_e_invoice(account=casa.account, email="ana.faturas@example.pt", actor=None, reason="")
    url = reverse("contracts:e_invoice_off", args=[casa.contract_number])
    assert url in contract_page(ana_client, casa)
    assert "ana.faturas@example.pt" in ana_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = ana_client.post(url)
    assert response.status_code == 302
    casa.account.refresh_from_db()
    assert (casa.account.e_invoice, casa.account.e_invoice_email) == (False, "")
    assert casa.events.filter(kind=ContractEvent.Kind.E_INVOICE_OFF).count() == 1
    (message,) = mail.outbox
    assert message.subject == "A fatura eletrónica foi desativada"
    assert set(message.to) == {"ana.silva@example.pt", "ana.faturas@example.pt"}
    assert url not in contract_page(ana_client, casa)


def test_only_the_owner_can_turn_off_the_e_invoice(client, bruno, casa):
    start_e_invoice(account=casa.account, email="ana.faturas@example.pt", actor=None, reason="")
    client.force_login(bruno)
    url = reverse("contracts:e_invoice_off", args=[casa.contract_number])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    casa.account.refresh_from_db()
    assert casa.account.e_invoice is True
