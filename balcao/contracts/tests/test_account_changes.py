"""The contracts' own services for accepted changes: each records its event, each refuses bad
input with a ValidationError (never a database error)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.models import Contract, ContractEvent
from balcao.contracts.services import account_changes
from balcao.contracts.tests.factories import ContractFactory
from balcao.core.models import Address
from balcao.core.tests.factories import AddressFactory
from balcao.core.transitions import TransitionNotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_user():
    return UserFactory(email="balcao@smas.example.pt")


@pytest.fixture
def contract():
    return ContractFactory()


@pytest.fixture
def sibling(contract):
    """Another contract of the same holder on the same billing account."""
    return ContractFactory(customer=contract.customer, account=contract.account)


def kinds(contract):
    return list(ContractEvent.objects.filter(contract=contract).values_list("kind", flat=True))


def test_an_account_change_is_recorded_on_every_contract_of_the_account(
    contract, sibling, clerk_user
):
    account_changes.start_e_invoice(
        account=contract.account, email="faturas@example.pt", actor=clerk_user, reason="Pedido 1"
    )
    account_changes.stop_e_invoice(account=contract.account, actor=clerk_user, reason="Pedido 2")

    contract.account.refresh_from_db()
    assert not contract.account.e_invoice and contract.account.e_invoice_email == ""
    expected = [ContractEvent.Kind.E_INVOICE_ON, ContractEvent.Kind.E_INVOICE_OFF]
    assert kinds(contract) == kinds(sibling) == expected
    event = ContractEvent.objects.filter(contract=contract).first()
    assert event.actor == clerk_user and event.note == "Pedido 1"


def test_a_new_billing_address_is_saved_and_recorded(contract, clerk_user):
    address = AddressFactory.build(street="Avenida Heróis de Angola")

    account_changes.change_billing_address(
        account=contract.account, address=address, actor=clerk_user, reason="Pedido 3"
    )

    contract.account.refresh_from_db()
    assert contract.account.billing_address.street == "Avenida Heróis de Angola"
    assert kinds(contract) == [ContractEvent.Kind.BILLING_ADDRESS]


def test_a_billing_address_change_without_an_address_is_refused(contract, clerk_user):
    old = contract.account.billing_address_id

    with pytest.raises(ValidationError, match="Indique a nova morada"):
        account_changes.change_billing_address(
            account=contract.account, address=None, actor=clerk_user, reason=""
        )
    with pytest.raises(ValidationError):  # an incomplete address: not an IntegrityError
        account_changes.change_billing_address(
            account=contract.account,
            address=Address(street="Rua sem código postal"),
            actor=clerk_user,
            reason="",
        )

    contract.account.refresh_from_db()
    assert contract.account.billing_address_id == old
    assert kinds(contract) == []


def test_an_e_invoice_without_a_valid_email_is_refused(contract, clerk_user):
    for email in ("", "   ", "not-an-email"):
        with pytest.raises(ValidationError):
            account_changes.start_e_invoice(
                account=contract.account, email=email, actor=clerk_user, reason=""
            )

    contract.account.refresh_from_db()
    assert not contract.account.e_invoice
    assert kinds(contract) == []


def test_the_holders_contacts_are_changed_on_every_contract_of_the_holder(
    contract, sibling, clerk_user
):
    account_changes.update_contact_details(
        customer=contract.customer,
        email="novo@example.pt",
        phone="",
        mobile="912345678",
        actor=clerk_user,
        reason="Pedido 4",
    )

    contract.customer.refresh_from_db()
    assert (contract.customer.email, contract.customer.mobile) == ("novo@example.pt", "912345678")
    assert kinds(contract) == kinds(sibling) == [ContractEvent.Kind.CONTACTS]


def test_contacts_all_empty_or_invalid_are_refused(contract, clerk_user):
    with pytest.raises(ValidationError, match="pelo menos um contacto"):
        account_changes.update_contact_details(
            customer=contract.customer, email="", phone=" ", mobile="", actor=clerk_user, reason=""
        )
    with pytest.raises(ValidationError):
        account_changes.update_contact_details(
            customer=contract.customer,
            email="not-an-email",
            phone="",
            mobile="",
            actor=clerk_user,
            reason="",
        )
    assert kinds(contract) == []


def test_terminating_records_the_end_and_refuses_a_second_time(contract, clerk_user):
    account_changes.terminate_contract(
        contract=contract, end_date=datetime.date(2030, 5, 31), actor=clerk_user, note="Pedido 5"
    )

    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDED
    assert contract.end_date == datetime.date(2030, 5, 31)
    assert kinds(contract) == [ContractEvent.Kind.ENDED]
    with pytest.raises(TransitionNotAllowed):
        account_changes.terminate_contract(
            contract=contract, end_date=datetime.date(2030, 6, 30), actor=clerk_user, note=""
        )


def test_a_contract_cannot_end_before_it_started(contract, clerk_user):
    with pytest.raises(ValidationError, match="não pode terminar antes"):
        account_changes.terminate_contract(
            contract=contract, end_date=datetime.date(2019, 1, 1), actor=clerk_user, note=""
        )

    contract.refresh_from_db()
    assert contract.is_active and kinds(contract) == []
