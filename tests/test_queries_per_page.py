"""At most five queries on every customer page, the same with 1 contract and with 25 (issue 14).

The session, the user, the subscriptions (loaded once per request and shared by the header,
the page's access check and the notices), and what the page itself shows. A page that
grows with the number of contracts, or a selector that fetches the subscriptions again,
fails here.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.tests.factories import SubscriptionFactory
from balcao.notices.models import Notice
from balcao.notices.tests.factories import NoticeFactory
from balcao.readings import services as reading_services
from balcao.readings.selectors import assess_reading

MAX_QUERIES = 5

# Every page a customer opens with GET, and whether its path names the chosen contract.
CUSTOMER_PAGES = [
    ("portal:home", False),
    ("portal:invoices", False),
    ("contracts:list", False),
    ("contracts:detail", True),
    ("readings:submit", True),
    ("readings:history", True),
    ("readings:consumption", True),
    ("readings:reminders", False),
    ("service_requests:list", False),
    ("service_requests:new", False),
    ("accounts:profile", False),
]


@pytest.fixture
def customer_with(client, db):
    """A signed-in customer with ``n`` contracts, readings on the first, and notices."""

    def make(n):
        user = UserFactory(username=f"cliente{n}")
        subscriptions = [SubscriptionFactory(user=user, custom_name=f"C{i:02d}") for i in range(n)]
        first = subscriptions[0].contract
        installation = first.installation
        shown = assess_reading(installation, 5, timezone.localdate()).warning_codes
        reading_services.submit_reading(
            installation=installation, index=5, accepted_warnings=shown, user=user
        )
        NoticeFactory(audience=Notice.Audience.EVERYONE)
        NoticeFactory(audience=Notice.Audience.CONTRACTS, contracts=[first])
        client.force_login(user)
        return client, first.contract_number

    return make


@pytest.mark.parametrize("contracts", [1, 25])
@pytest.mark.parametrize(("name", "names_contract"), CUSTOMER_PAGES)
def test_customer_page_queries(customer_with, contracts, name, names_contract):
    client, contract_number = customer_with(contracts)
    url = reverse(name, args=[contract_number] if names_contract else [])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    listing = "\n".join(q["sql"][:200] for q in queries.captured_queries)
    assert len(queries.captured_queries) <= MAX_QUERIES, listing
    # The first visit to Início fills the cache of the user's notices (two queries) on top
    # of a full warm page (session, user, subscriptions, the latest invoice, the last
    # request); the session is read from Redis in production, one query less than here.
    cold = MAX_QUERIES + 2 if name == "portal:home" else MAX_QUERIES
    assert len(first.captured_queries) <= cold
