"""Every accepted change reaches its row through the contracts' service, which records it on
the contracts concerned, with the clerk and the request's number."""

import pytest

from balcao.contracts.models import ContractEvent
from balcao.contracts.tests.factories import ContractFactory
from balcao.core.tests.factories import AddressFactory
from balcao.service_requests.models import RequestType

pytestmark = pytest.mark.django_db


@pytest.fixture
def sibling(ana_contract):
    """Another of the holder's contracts, on the same billing account."""
    return ContractFactory(customer=ana_contract.customer, account=ana_contract.account)


@pytest.fixture
def accept(ana, ana_contract, make_request, staff_action):
    def _accept(request_type, **kwargs):
        service_request = make_request(
            ana, request_type=request_type, contract=ana_contract, **kwargs
        )
        staff_action(service_request, "aceitar", {"message": ""})
        assert service_request.outcome == service_request.Outcome.ACCEPTED
        return service_request

    return _accept


def only_event(contract):
    return ContractEvent.objects.get(contract=contract)


@pytest.mark.parametrize(
    ("request_type", "kind", "kwargs"),
    [
        (
            RequestType.E_INVOICE_ON,
            ContractEvent.Kind.E_INVOICE_ON,
            {"payload": {"email": "faturas@example.pt", "accepted_terms": True}},
        ),
        (
            RequestType.CONTACT_CHANGE,
            ContractEvent.Kind.CONTACTS,
            {"payload": {"email": "novo@example.pt", "phone": "", "mobile": ""}},
        ),
    ],
)
def test_an_accepted_change_leaves_its_event_on_every_contract_concerned(
    ana_contract, sibling, accept, clerk, request_type, kind, kwargs
):
    service_request = accept(request_type, **kwargs)

    for contract in (ana_contract, sibling):
        event = only_event(contract)
        assert (event.kind, event.actor) == (kind, clerk)
        assert f"Pedido n.º {service_request.number}" in event.note


def test_turning_the_e_invoice_off_leaves_its_event(ana_contract, accept):
    ana_contract.account.e_invoice = True
    ana_contract.account.e_invoice_email = "faturas@example.pt"
    ana_contract.account.save()

    accept(RequestType.E_INVOICE_OFF)

    ana_contract.account.refresh_from_db()
    assert not ana_contract.account.e_invoice
    assert only_event(ana_contract).kind == ContractEvent.Kind.E_INVOICE_OFF


def test_a_new_billing_address_leaves_its_event(ana_contract, accept):
    service_request = accept(RequestType.BILLING_ADDRESS, new_address=AddressFactory.build())

    ana_contract.account.refresh_from_db()
    assert ana_contract.account.billing_address_id == service_request.new_address_id
    event = only_event(ana_contract)
    assert event.kind == ContractEvent.Kind.BILLING_ADDRESS
    assert "próxima fatura" in event.note
