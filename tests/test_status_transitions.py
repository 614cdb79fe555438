"""Every model with a status moves through balcao.core.transitions.transition, along its
declared TRANSITIONS table: a move outside the table raises TransitionNotAllowed and writes
nothing (neither the status nor an event)."""

import datetime
from decimal import Decimal

import pytest

from balcao.billing.models import DirectDebitMandate, Invoice
from balcao.billing.services import create_mandate
from balcao.contracts.models import Contract, Subscription
from balcao.contracts.tests.factories import ContractFactory, SubscriptionFactory
from balcao.core.transitions import TransitionNotAllowed, transition
from balcao.readings.models import Reading
from balcao.readings.tests.factories import ReadingFactory
from balcao.service_requests import services as request_services
from balcao.service_requests.models import Channel, RequestType, ServiceRequest

pytestmark = pytest.mark.django_db

IBAN = "PT50000201231234567890154"


def removed_subscription(clerk):
    return SubscriptionFactory(status=Subscription.Status.REMOVED)


def closed_request(clerk):
    contract = ContractFactory()
    service_request = request_services.submit_request(
        user=None,
        request_type=RequestType.COMPLAINT,
        contract=contract,
        channel=Channel.NONE,
        contact_value="",
        description="A fatura chegou tarde.",
    )
    return request_services.answer_and_close(
        service_request=service_request, actor=clerk, resolution="Já foi corrigido."
    )


def invoiced_reading(clerk):
    contract = ContractFactory()
    return ReadingFactory(
        installation=contract.installation,
        taken_on=datetime.date(2026, 1, 5),
        index=120,
        status=Reading.Status.INVOICED,
        invoice_number="FT 2026/1",
    )


def ended_contract(clerk):
    return ContractFactory(status=Contract.Status.ENDED, end_date=datetime.date(2026, 1, 31))


def cancelled_mandate(clerk):
    account = ContractFactory().account
    mandate = create_mandate(
        account=account,
        debtor_name="Ana Silva",
        debtor_address="Rua Direita 1, 2400-001 Leiria",
        iban=IBAN,
        signed_at=datetime.date(2026, 4, 10),
        signed_place="Leiria",
        authorisation_text="Texto aceite.",
    )
    create_mandate(
        account=account,
        debtor_name="Ana Silva",
        debtor_address="Rua Direita 1, 2400-001 Leiria",
        iban=IBAN,
        signed_at=datetime.date(2026, 4, 11),
        signed_place="Leiria",
        authorisation_text="Texto aceite.",
    )
    mandate.refresh_from_db()
    return mandate


def cancelled_invoice(clerk):
    from django.conf import settings

    from balcao.billing.computation import compute_bill
    from balcao.billing.services.invoices import issue_credit_note, issue_invoice
    from balcao.billing.services.tariffs import save_tariff
    from balcao.billing.tariff_file import read_tariff_file

    tariffs, _ = read_tariff_file(settings.BASE_DIR / "data" / "tariffs" / "demo.toml")
    tariff = save_tariff(tariffs[0])
    invoice = issue_invoice(
        contract=ContractFactory(),
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 30),
        tariff=tariff,
        computation=compute_bill(tariff.to_data(), water_volume=Decimal("10"), days=30),
    )
    issue_credit_note(invoice=invoice, reason="Leitura errada.", actor=clerk)
    invoice.refresh_from_db()
    return invoice


CASES = {
    "subscription removed → active": (removed_subscription, Subscription.Status.ACTIVE),
    "request closed → in progress": (closed_request, ServiceRequest.Status.IN_PROGRESS),
    "reading invoiced → received": (invoiced_reading, Reading.Status.RECEIVED),
    "contract ended → active": (ended_contract, Contract.Status.ACTIVE),
    "mandate cancelled → active": (cancelled_mandate, DirectDebitMandate.Status.ACTIVE),
    "invoice cancelled → issued": (cancelled_invoice, Invoice.Status.ISSUED),
}


@pytest.mark.parametrize(("make", "to"), CASES.values(), ids=CASES.keys())
def test_a_move_outside_the_table_raises_and_writes_nothing(clerk, make, to):
    obj = make(clerk)
    status_before = obj.status
    events_before = list(obj.events.values_list("pk", flat=True))

    with pytest.raises(TransitionNotAllowed) as raised:
        transition(obj, to, actor=clerk, note="should not be written")

    assert (raised.value.from_status, raised.value.to_status) == (status_before, to)
    assert "TRANSITIONS" in str(raised.value)
    assert obj.status == status_before
    obj.refresh_from_db()
    assert obj.status == status_before
    assert list(obj.events.values_list("pk", flat=True)) == events_before


@pytest.mark.parametrize(
    "model", [Subscription, ServiceRequest, Reading, Contract, DirectDebitMandate, Invoice]
)
def test_every_status_has_its_row_in_the_table(model):
    assert set(model.TRANSITIONS) == set(model.Status)
    assert all(set(targets) <= set(model.Status) for targets in model.TRANSITIONS.values())


def test_an_allowed_move_saves_the_status_and_records_who_and_why(clerk):
    contract = ContractFactory()

    event = transition(contract, Contract.Status.ENDED, actor=clerk, note="Rescisão")

    contract.refresh_from_db()
    assert contract.status == Contract.Status.ENDED
    assert contract.events.get() == event
    assert (event.kind, event.actor, event.note) == ("ended", clerk, "Rescisão")
