"""A subscription that is not active shows nothing of the contract beyond what the user typed.

Issue 9, item 1: a user who had only *asked* to add a contract got the holder's name, NIF,
tariff and supply address in "Os meus dados". Every status is tried, with the contract set
on the subscription (the worst case: approved, then locked or withdrawn), in every export
section and on the pages a customer without an active contract reaches.
"""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from balcao.contracts.models import Contract, Subscription
from balcao.contracts.tests.factories import ContractFactory, CustomerFactory, InstallationFactory
from balcao.core.tests.factories import AddressFactory
from balcao.readings.models import Reading
from balcao.service_requests.models import Channel, RequestType, ServiceRequest

STATUSES = list(Subscription.Status.values)
NOT_ACTIVE = [s for s in STATUSES if s != Subscription.Status.ACTIVE]

HOLDER = "Rosa Marques Secreta"
HOLDER_NIF = "136695973"
STREET = "Travessa do Segredo Guardado"
TARIFF = str(Contract.TariffType.LARGE_FAMILY.label)  # "Família numerosa"
CONTRACT_NUMBER = "600777"  # never typed by the user: the typed numbers are the other three
# What the contract reveals of its holder; the contract number only the contract section has.
HOLDER_DATA = (HOLDER, HOLDER_NIF, STREET, TARIFF)


@pytest.fixture
def rosas_contract(db):
    return ContractFactory(
        contract_number=CONTRACT_NUMBER,
        customer=CustomerFactory(name=HOLDER, nif=HOLDER_NIF, email=""),
        installation=InstallationFactory(address=AddressFactory(street=STREET)),
        tariff_type=Contract.TariffType.LARGE_FAMILY,
    )


def subscribe(user, contract, status):
    """Carla's subscription to the contract, in ``status``, with the contract set on it."""
    return Subscription.objects.create(
        user=user,
        contract=contract,
        cil=contract.installation.cil,
        customer_number=contract.customer.customer_number,
        account_number=contract.account.account_number,
        custom_name="A minha casa",
        status=status,
        activation_channel=Subscription.Channel.LETTER,
        activated_at=timezone.now() if status == Subscription.Status.ACTIVE else None,
    )


@pytest.fixture
def carla_with(carla, rosas_contract):
    """Carla's subscription in a status, plus a reading and a request of hers on the contract
    (as if made while it was active), so that every export section has a row about it."""

    def make(status):
        subscription = subscribe(carla, rosas_contract, status)
        installation = rosas_contract.installation
        Reading.objects.create(
            installation=installation,
            meter=installation.meters.get(),
            taken_on=timezone.localdate(),
            index=123,
            origin=Reading.Origin.CUSTOMER,
            submitted_by=carla,
            status=Reading.Status.BILLABLE,
            receipt_number="L2026-0000001",
        )
        ServiceRequest.objects.create(
            number=3884900,
            user=carla,
            contract=rosas_contract,
            request_type=RequestType.INFORMATION,
            description="Quando vem o contador?",
            channel=Channel.NONE,
            submitted_at=timezone.now(),
        )
        return subscription

    return make


def json_section(client, section) -> str:
    data = json.loads(client.get(reverse("accounts:export_json")).content)
    return json.dumps(data["seccoes"][section], ensure_ascii=False, default=str)


def csv_section(client, section) -> str:
    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("accounts:export_csv")).content))
    text = archive.read(f"{section}.csv").decode("utf-8-sig")
    list(csv.DictReader(io.StringIO(text)))  # a valid CSV
    return text


@pytest.mark.parametrize("export", [json_section, csv_section], ids=["json", "csv"])
@pytest.mark.parametrize("section", ["contratos", "leituras", "pedidos"])
@pytest.mark.parametrize("status", STATUSES)
def test_export_shows_the_contract_only_for_an_active_subscription(
    carla_client, carla_with, status, section, export
):
    carla_with(status)
    text = export(carla_client, section)
    assert "A minha casa" in text or section != "contratos"
    if status == Subscription.Status.ACTIVE and section == "contratos":
        for value in (*HOLDER_DATA, CONTRACT_NUMBER):
            assert value in text
    else:
        for value in HOLDER_DATA:
            assert value not in text, f"{value!r} in {section} for a {status} subscription"
        if section == "contratos":
            assert CONTRACT_NUMBER not in text


@pytest.mark.parametrize("status", NOT_ACTIVE)
def test_export_keeps_what_the_user_typed(carla_client, carla_with, status):
    subscription = carla_with(status)
    data = json.loads(carla_client.get(reverse("accounts:export_json")).content)
    (row,) = data["seccoes"]["contratos"]
    assert row["instalacao_cil"] == subscription.cil
    assert row["numero_de_cliente"] == subscription.customer_number
    assert row["numero_de_conta"] == subscription.account_number
    assert row["estado_no_portal"] == subscription.customer_status_label


def test_export_status_never_tells_that_the_numbers_matched(carla_client, carla_with):
    """Approved for a letter still reads "Em avaliação", as on the pages."""
    carla_with(Subscription.Status.AWAITING_ACTIVATION)
    text = json_section(carla_client, "contratos") + csv_section(carla_client, "contratos")
    assert "Em avaliação" in text and "A aguardar ativação" not in text


@pytest.mark.parametrize("status", NOT_ACTIVE)
def test_no_page_shows_the_contract_of_a_subscription_that_is_not_active(
    carla_client, carla, rosas_contract, status
):
    subscription = subscribe(carla, rosas_contract, status)
    urls = [
        reverse("portal:home"),
        reverse("contracts:list"),
        reverse("readings:index"),
        reverse("service_requests:new"),
        reverse("service_requests:new_of_type", args=[RequestType.INFORMATION]),
        reverse("service_requests:new_of_type", args=[RequestType.E_INVOICE_ON]),
        reverse("accounts:my_data"),
    ]
    if status != Subscription.Status.REMOVED:
        urls.append(reverse("contracts:request", args=[subscription.reference]))
        urls.append(reverse("contracts:cancel", args=[subscription.reference]))
    for url in urls:
        response = carla_client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        for value in (*HOLDER_DATA, CONTRACT_NUMBER):
            assert value not in html, f"{value!r} on {url} for a {status} subscription"
    for url in (
        reverse("contracts:detail", args=[CONTRACT_NUMBER]),
        reverse("readings:submit", args=[CONTRACT_NUMBER]),
        reverse("service_requests:change", args=[CONTRACT_NUMBER, RequestType.E_INVOICE_ON]),
    ):
        assert carla_client.get(url).status_code == 404, url
    # The header's selector refuses it as well.
    carla_client.post(reverse("portal:choose_contract"), {"contract": CONTRACT_NUMBER})
    assert CONTRACT_NUMBER not in carla_client.get(reverse("portal:home")).content.decode()
