"""Fixtures of the requests tests: ana's and bruno's contracts, and requests made the real way."""

import pytest

from balcao.service_requests import services
from balcao.service_requests.models import Channel, RequestType


@pytest.fixture
def ana_contract(ana):
    return ana.subscriptions.order_by("custom_name").first().contract  # "Casa"


@pytest.fixture
def bruno_contract(bruno):
    return bruno.subscriptions.get().contract


@pytest.fixture
def make_request():
    """A request submitted through the service, as the portal does."""

    def _make(user, *, request_type=RequestType.INFORMATION, contract=None, **kwargs):
        values = {
            "channel": Channel.EMAIL,
            "contact_value": user.email,
            "description": "Qual é o horário do balcão?",
        }
        values.update(kwargs)
        return services.submit_request(
            user=user, request_type=request_type, contract=contract, **values
        )

    return _make


@pytest.fixture
def clerk_browser(clerk):
    """The clerk's own session (the ``client`` fixture is the customer's in these tests)."""
    from django.test import Client

    browser = Client()
    browser.force_login(clerk)
    return browser


@pytest.fixture
def staff_action(clerk_browser):
    """The clerk's action in the admin, as the clerk does it (POST to the action page)."""
    from django.urls import reverse

    def _act(service_request, action, data=None):
        url = reverse(
            "admin:service_requests_servicerequest_action", args=[service_request.pk, action]
        )
        response = clerk_browser.post(url, data or {}, follow=True)
        service_request.refresh_from_db()
        return response

    return _act


@pytest.fixture
def change_actions():
    """The contract detail's change buttons for one field, rendered as the detail page does."""
    from django.template import engines
    from django.test import RequestFactory

    template = engines["django"].from_string(
        '{% include "service_requests/_change_actions.html" with field=field %}'
    )

    def _render(contract, field, request=None):
        request = request or RequestFactory().get("/")
        return template.render({"contract": contract, "field": field}, request)

    return _render
