"""What every page asks of the ORM stays narrow (issue 14's CPU profile, bench/profile_pages.py).

The user's subscriptions are loaded on every signed-in page; each table joined there costs
a model instance per row and its columns to compile, on every request. Only the contract's
own page shows the holder and the correspondence and billing addresses, and it asks for
them itself. Início's "Último pedido" shows the request's own fields, without its contract.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.tests.factories import SubscriptionFactory
from balcao.service_requests import services
from balcao.service_requests.models import Channel, RequestType


@pytest.fixture
def customer(client, db):
    user = UserFactory(username="largo")
    subscriptions = [SubscriptionFactory(user=user, custom_name=f"C{i}") for i in range(3)]
    services.submit_request(
        user=user,
        request_type=RequestType.INFORMATION,
        contract=subscriptions[0].contract,
        channel=Channel.EMAIL,
        contact_value=user.email,
        description="Qual é o horário do balcão?",
    )
    client.force_login(user)
    return client, subscriptions[0].contract


def _queries_on(client, url, table):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]


def test_the_shared_subscription_list_leaves_out_the_holder(customer, settings):
    """Its query, each time the list is read from the database (without the cache between
    requests, every time: tests/test_subscription_cache.py)."""
    settings.SUBSCRIPTIONS_CACHE = False
    client, _ = customer
    _, queries = _queries_on(client, reverse("portal:home"), "contracts_subscription")
    assert len(queries) == 1
    assert '"contracts_customer"' not in queries[0]
    assert queries[0].count('JOIN "core_address"') == 1  # the installation's, for the header


def test_the_contract_page_still_shows_holder_and_addresses(customer):
    client, contract = customer
    url = reverse("contracts:detail", args=[contract.contract_number])
    response, _ = _queries_on(client, url, "contracts_subscription")
    page = response.content.decode()
    assert contract.customer.name in page
    assert contract.customer.correspondence_address.street in page
    assert contract.account.billing_address.street in page


def test_the_latest_request_on_home_is_read_without_its_contract(customer):
    client, _ = customer
    response, queries = _queries_on(
        client, reverse("portal:home"), "service_requests_servicerequest"
    )
    assert len(queries) == 1
    assert '"contracts_contract"' not in queries[0]
    assert response.context["latest_request"] is not None
