"""The same action at the same moment, from real threads with their own database connections.

Issue 9, item 5: six simultaneous "Adicionar um contrato" made six subscriptions and six
letters on PostgreSQL, past the limit of pending requests; two identical "Novo pedido" made
two requests. Each test starts its threads together on a barrier, and checks that exactly
one effect was stored. They run on PostgreSQL (row locks) and on SQLite (whose IMMEDIATE
transactions take the write lock at BEGIN, so writers queue up).
"""

import datetime
import threading
import uuid

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.models import Letter, Subscription
from balcao.contracts.services import MAX_PENDING_PER_USER
from balcao.contracts.tests.factories import (
    BillingAccountFactory,
    ContractFactory,
    CustomerFactory,
    InstallationFactory,
)
from balcao.core.transitions import TransitionNotAllowed
from balcao.readings.models import Reading
from balcao.readings.tests.factories import ReadingFactory
from balcao.service_requests import services as request_services
from balcao.service_requests.models import (
    Channel,
    RequestEvent,
    RequestType,
    ServiceRequest,
)

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6


def run_together(n, action):
    """Run ``action(i)`` in n threads released at once; returns (results, errors)."""
    barrier = threading.Barrier(n)
    results = [None] * n
    errors = []

    def worker(i):
        try:
            barrier.wait(timeout=30)
            results[i] = action(i)
        except Exception as error:  # noqa: BLE001 - the test reports what each thread met
            errors.append(error)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread did not finish"
    return results, errors


def browsers(user, n):
    """n browsers signed in as the user, one per thread."""
    clients = []
    for _ in range(n):
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


@pytest.fixture
def carla():
    return UserFactory(username="carla", email="carla.dias@example.pt", first_name="Carla")


@pytest.fixture
def letter_contract():
    """No e-mail on record: the numbers match, and the code goes by letter."""
    customer = CustomerFactory(customer_number="200002", email="", name="Rosa Marques")
    return ContractFactory(
        contract_number="600007",
        customer=customer,
        account=BillingAccountFactory(account_number="300002", customer=customer),
        installation=InstallationFactory(cil="400002"),
    )


def add_contract_form(cil, customer_number, account_number, name="Casa"):
    return {
        "product": "water_sanitation",
        "cil": cil,
        "customer_number": customer_number,
        "account_number": account_number,
        "custom_name": name,
    }


def activate(user, contract):
    """The contract active in the user's portal, as after its activation (the demo's numbers)."""
    Subscription.objects.create(
        user=user,
        contract=contract,
        cil="400002",
        customer_number="200002",
        account_number="300002",
        custom_name="Casa",
        status=Subscription.Status.ACTIVE,
        activated_at=timezone.now(),
    )


def test_simultaneous_add_contract_with_the_same_numbers_makes_one_request(carla, letter_contract):
    clients = browsers(carla, THREADS)
    data = add_contract_form("400002", "200002", "300002")

    results, errors = run_together(
        THREADS, lambda i: clients[i].post(reverse("contracts:add"), data).status_code
    )

    assert not errors, errors
    assert Subscription.objects.filter(user=carla).count() == 1
    assert Letter.objects.count() == 1
    # One was accepted (redirect to the request); the others were told it already exists.
    assert sorted(results) == [200] * (THREADS - 1) + [302]


def test_simultaneous_add_contract_stays_within_the_pending_limit(carla):
    for n in range(MAX_PENDING_PER_USER - 1):
        Subscription.objects.create(
            user=carla,
            cil=f"9{n:05d}",
            customer_number="1",
            account_number="1",
            custom_name=f"Pedido {n}",
        )
    clients = browsers(carla, THREADS)

    results, errors = run_together(
        THREADS,
        lambda i: (
            clients[i]
            .post(reverse("contracts:add"), add_contract_form(f"8{i:05d}", "2", "2", f"Novo {i}"))
            .status_code
        ),
    )

    assert not errors, errors
    pending = Subscription.objects.filter(user=carla, status__in=Subscription.PENDING)
    assert pending.count() == MAX_PENDING_PER_USER
    assert sorted(results) == [200] * (THREADS - 1) + [302]


def test_the_same_request_form_sent_twice_at_once_makes_one_request(carla, letter_contract):
    activate(carla, letter_contract)
    url = reverse("service_requests:new_of_type", args=[RequestType.COMPLAINT])
    clients = browsers(carla, THREADS)
    data = {
        "contract": "600007",
        "description": "A fatura veio em duplicado.",
        "channel": Channel.NONE,
        "contact_value": "",
        "submission_key": str(uuid.uuid4()),  # the hidden field of one form, sent six times
    }

    results, errors = run_together(THREADS, lambda i: clients[i].post(url, data))

    assert not errors, errors
    assert ServiceRequest.objects.count() == 1
    number = ServiceRequest.objects.get().number
    # Every click lands on the same request's page.
    assert {r.status_code for r in results} == {302}
    assert {r["Location"] for r in results} == {reverse("service_requests:detail", args=[number])}


def test_the_same_reading_form_sent_twice_at_once_stores_one_reading(carla, letter_contract):
    activate(carla, letter_contract)
    installation = letter_contract.installation
    # 1 m³ a day, so that 190 m³ on 05/04/2026, inside the window, raises no warning.
    ReadingFactory(installation=installation, taken_on=datetime.date(2026, 1, 5), index=100)
    ReadingFactory(installation=installation, taken_on=datetime.date(2026, 3, 6), index=160)
    url = reverse("readings:submit", args=["600007"])
    moment = timezone.make_aware(datetime.datetime(2026, 4, 5, 10, 0))
    with time_machine.travel(moment, tick=False):
        clients = browsers(carla, THREADS)
        data = {"index": 190, "submission_key": str(uuid.uuid4())}

        results, errors = run_together(THREADS, lambda i: clients[i].post(url, data))

    assert not errors, errors
    customer = Reading.objects.filter(installation=installation, origin=Reading.Origin.CUSTOMER)
    assert customer.count() == 1
    assert {r.status_code for r in results} == {302}


def test_two_clerks_accepting_the_same_change_apply_it_once(carla, letter_contract):
    activate(carla, letter_contract)
    service_request = request_services.submit_request(
        user=carla,
        request_type=RequestType.E_INVOICE_ON,
        contract=letter_contract,
        channel=Channel.NONE,
        contact_value="",
        payload={"email": "carla.dias@example.pt"},
    )
    group, _created = Group.objects.get_or_create(name="Atendimento")
    clerks = [UserFactory(username=f"clerk{i}", is_staff=True) for i in range(2)]
    for clerk in clerks:
        clerk.groups.add(group)

    results, errors = run_together(
        2,
        lambda i: request_services.accept_and_apply(
            service_request=ServiceRequest.objects.get(pk=service_request.pk), actor=clerks[i]
        ),
    )

    assert len(errors) == 1 and isinstance(errors[0], TransitionNotAllowed)  # the second is stale
    accepted = RequestEvent.objects.filter(request=service_request, kind=RequestEvent.Kind.ACCEPTED)
    assert accepted.count() == 1
    letter_contract.account.refresh_from_db()
    assert letter_contract.account.e_invoice is True
