"""The payment block of the invoice page reads its state in one query (receipts, reminders,
warning, complaint, payment plan request and its instalments as columns of the invoice's
row), none when the portal read the invoice with those columns; the receipts cost one more,
only when there are some."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from balcao.payments.selectors import invoice_payment_context
from balcao.payments.services.plans import accept_payment_plan
from balcao.service_requests import services as request_services
from balcao.service_requests.models import Channel, RequestType

pytestmark = pytest.mark.django_db


def count(invoice):
    with CaptureQueriesContext(connection) as queries:
        invoice_payment_context(invoice, datetime.date(2026, 12, 1))
    return len(queries.captured_queries)


def test_the_payment_block_costs_one_query_with_or_without_instalments(
    ana, clerk, unpaid, ana_client
):
    assert count(unpaid) == 1
    service_request = request_services.submit_request(
        user=ana,
        request_type=RequestType.INSTALMENTS,
        contract=unpaid.contract,
        invoice=unpaid,
        channel=Channel.NONE,
        contact_value="",
        payload={"instalments": 2},
    )
    accept_payment_plan(
        service_request=service_request,
        instalments=2,
        first_due_date=datetime.date(2026, 12, 1),
        actor=clerk,
        today=datetime.date(2026, 11, 1),
    )
    assert count(unpaid) == 1
    # The whole page: session, user, the header's subscriptions and the invoice with its
    # previous invoice and payment state (lines and readings from the cache).
    url = reverse("billing:invoice", args=[unpaid.number])
    ana_client.get(url)
    with CaptureQueriesContext(connection) as page:
        assert ana_client.get(url).status_code == 200
    assert len(page.captured_queries) <= 4
