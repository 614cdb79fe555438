"""Whether a change may be asked for is the service's rule, not only the page's: the admin or a
future API calling submit_request meets the same refusals, in Portuguese."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from balcao.contracts.models import Contract
from balcao.service_requests import services
from balcao.service_requests.models import Channel, RequestType, ServiceRequest

pytestmark = pytest.mark.django_db

DIRECT_DEBIT = {
    "iban": "PT50000201231234567890154",
    "holder_name": "Ana Silva",
    "accepted_on": "2026-05-04",
    "authorisation_text": "Autorizo",
}


def submit(user, contract, request_type, payload=None):
    return services.submit_request(
        user=user,
        request_type=request_type,
        contract=contract,
        channel=Channel.NONE,
        contact_value="",
        payload=payload or {},
    )


def test_direct_debit_for_an_account_that_already_pays_by_it_is_refused(ana, ana_contract):
    ana_contract.account.direct_debit = True
    ana_contract.account.save()

    with pytest.raises(services.ChangeNotPossible, match="débito direto já está ativo"):
        submit(ana, ana_contract, RequestType.DIRECT_DEBIT_ON, DIRECT_DEBIT)

    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    ("e_invoice", "request_type", "message"),
    [
        (True, RequestType.E_INVOICE_ON, "fatura eletrónica já está ativa"),
        (False, RequestType.E_INVOICE_OFF, "fatura eletrónica não está ativa"),
    ],
)
def test_an_e_invoice_change_to_what_the_account_has_is_refused(
    ana, ana_contract, e_invoice, request_type, message
):
    ana_contract.account.e_invoice = e_invoice
    ana_contract.account.e_invoice_email = "faturas@example.pt" if e_invoice else ""
    ana_contract.account.save()

    with pytest.raises(ValidationError, match=message):
        submit(ana, ana_contract, request_type, {"email": "faturas@example.pt"})

    assert not ServiceRequest.objects.exists()


def test_an_ended_contract_takes_no_change_through_the_service(ana, ana_contract):
    ana_contract.status = Contract.Status.ENDED
    ana_contract.save()

    with pytest.raises(ValidationError, match="não é possível pedir alterações"):
        submit(ana, ana_contract, RequestType.CONTACT_CHANGE, {"email": "x@example.pt"})

    # A free-text request about it is still possible (it is not a change).
    submit(ana, ana_contract, RequestType.INFORMATION)
    assert ServiceRequest.objects.get().request_type == RequestType.INFORMATION


def test_a_second_pending_change_is_refused_with_its_message(ana, ana_contract):
    submit(ana, ana_contract, RequestType.CONTACT_CHANGE, {"email": "x@example.pt"})

    with pytest.raises(services.ChangeNotPossible, match="Já existe um pedido desta alteração"):
        submit(ana, ana_contract, RequestType.CONTACT_CHANGE, {"email": "y@example.pt"})

    assert ServiceRequest.objects.count() == 1


def test_a_change_made_impossible_after_the_page_was_shown_is_explained(ana_client, ana_contract):
    """The page offered the e-invoice; meanwhile the account started sending it."""
    url = reverse("service_requests:change", args=[ana_contract.contract_number, "e_invoice_on"])
    assert ana_client.get(url).status_code == 200
    ana_contract.account.e_invoice = True
    ana_contract.account.e_invoice_email = "faturas@example.pt"
    ana_contract.account.save()

    response = ana_client.post(
        url,
        {"email": "outro@example.pt", "accept_terms": "on", "channel": "none"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse(
        "contracts:detail", args=[ana_contract.contract_number]
    )
    assert "A fatura eletrónica já está ativa neste contrato." in response.content.decode()
    assert not ServiceRequest.objects.exists()
