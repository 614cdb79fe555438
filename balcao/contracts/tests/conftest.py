"""Contracts' fixtures: the demo's two free contracts, newcomers, and the clerk's letters."""

import re
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.models import Letter
from balcao.contracts.tests.factories import (
    BillingAccountFactory,
    ContractFactory,
    CustomerFactory,
    InstallationFactory,
)

CODE_LINE = re.compile(r"Código de ativação:\s*([A-Z0-9]{5}) ?([A-Z0-9]{5})")


def free_contract(*, customer_number, account_number, cil, contract_number, email, name):
    customer = CustomerFactory(customer_number=customer_number, email=email, name=name)
    return ContractFactory(
        contract_number=contract_number,
        customer=customer,
        account=BillingAccountFactory(account_number=account_number, customer=customer),
        installation=InstallationFactory(cil=cil),
    )


@pytest.fixture
def letter_contract(db):
    """Like the demo's 200002: no e-mail on record, so the code goes by letter."""
    return free_contract(
        customer_number="200002",
        account_number="300002",
        cil="400002",
        contract_number="600007",
        email="",
        name="Rosa Marques",
    )


@pytest.fixture
def email_contract(db):
    """Like the demo's 200001: its holder's e-mail is on record."""
    return free_contract(
        customer_number="200001",
        account_number="300001",
        cil="400001",
        contract_number="600006",
        email="novo.cliente@example.pt",
        name="Novo Cliente",
    )


@pytest.fixture
def carla(db):
    """A registered user with a confirmed e-mail that is on no contract, and no contracts."""
    return UserFactory(username="carla", email="carla.dias@example.pt", first_name="Carla")


@pytest.fixture
def carla_client(client, carla):
    client.force_login(carla)
    return client


@pytest.fixture
def novo(db):
    """A user whose confirmed e-mail is the one on record for email_contract."""
    return UserFactory(username="novo", email="novo.cliente@example.pt", first_name="Novo")


def numbers(contract, **changes):
    """The form of "Adicionar um contrato", filled with this contract's numbers."""
    data = {
        "product": "water_sanitation",
        "cil": contract.installation.cil,
        "customer_number": contract.customer.customer_number,
        "account_number": contract.account.account_number,
        "custom_name": "Casa nova",
    }
    data.update(changes)
    return data


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def codes_in(pdf: bytes) -> list[str]:
    return ["".join(m) for m in CODE_LINE.findall(pdf_text(pdf))]


@pytest.fixture
def print_letters(clerk, django_capture_on_commit_callbacks):
    """The clerk runs "Imprimir cartas" in the admin on every pending letter; returns the PDF."""
    from django.test import Client

    def run() -> bytes:
        staff = Client()
        staff.force_login(clerk)
        pending = list(Letter.objects.filter(printed_at__isnull=True).values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            response = staff.post(
                reverse("admin:contracts_letter_changelist"),
                {"action": "print_action", "_selected_action": pending},
            )
        assert response.status_code == 200, response.content[:500]
        assert response["Content-Type"] == "application/pdf"
        return response.content

    return run


@pytest.fixture
def staff_client(clerk):
    """The clerk in a browser of their own (``client`` is the customer's)."""
    from django.test import Client

    staff = Client()
    staff.force_login(clerk)
    return staff
