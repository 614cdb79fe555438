"""The Content-Security-Policy in Chromium: the main pages and the admin break no rule of it.

Chromium reports every blocked inline script, inline style or foreign resource in the
console ("Refused to …", or "… violates the following Content Security Policy directive"
in newer versions); a page that needed an exception would show one here.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from balcao.accounts.tests.factories import UserFactory
from balcao.readings.tests.factories import ReadingFactory
from balcao.service_requests import services as request_services
from balcao.service_requests.models import Channel, RequestType

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csp_reports(page):
    """Console messages and page events that tell of a CSP violation, collected as they come."""
    reports = []
    page.on(
        "console",
        lambda message: (
            reports.append(f"{page.url}: {message.text}")
            if "Refused to" in message.text or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: reports.append(f"{page.url}: {error}"))
    return reports


def visit_all(page, urls, reports):
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status < 400, (url, response and response.status)
        assert "content-security-policy" in response.headers, url
        page.wait_for_load_state("load")
    assert reports == []


def test_the_customers_pages_break_no_rule_of_the_policy(page, login, csp_reports, ana):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    today = timezone.localdate()
    for days_ago, index in ((400, 10), (200, 60), (30, 130)):
        ReadingFactory(
            installation=casa.installation,
            taken_on=today - datetime.timedelta(days=days_ago),
            index=index,
        )
    service_request = request_services.submit_request(
        user=ana,
        request_type=RequestType.INFORMATION,
        contract=None,
        channel=Channel.EMAIL,
        contact_value=ana.email,
        description="Qual é o horário do balcão?",
    )
    visit_all(
        page,
        [reverse("accounts:login"), reverse("accounts:register"), reverse("portal:terms")],
        csp_reports,
    )

    login(page, ana)
    visit_all(
        page,
        [
            reverse("portal:home"),
            reverse("contracts:list"),
            reverse("contracts:detail", args=[casa.contract_number]),
            reverse("contracts:add"),
            reverse("readings:submit", args=[casa.contract_number]),
            reverse("readings:history", args=[casa.contract_number]),
            reverse("readings:consumption", args=[casa.contract_number]),  # the SVG chart
            reverse("service_requests:list"),
            reverse("service_requests:new"),
            reverse("service_requests:new_of_type", args=["burst"]),
            reverse("service_requests:detail", args=[service_request.number]),
            reverse("accounts:profile"),
            reverse("accounts:activity"),
            reverse("accounts:otp_setup"),  # the QR code, an inline SVG
            reverse("accounts:my_data"),
            reverse("portal:invoices"),
        ],
        csp_reports,
    )
    # A form posts and its errors render (the error summary links, the field messages).
    page.goto(reverse("readings:submit", args=[casa.contract_number]))
    page.get_by_role("button", name="Submeter").click()
    page.wait_for_load_state("load")
    assert "Há um problema" in page.content()
    assert csp_reports == []


def test_the_admin_breaks_no_rule_of_the_policy(page, login, csp_reports, ana):
    admin = UserFactory(username="chefe", is_staff=True, is_superuser=True)
    casa = ana.subscriptions.get(custom_name="Casa")
    login(page, admin)
    pages = [
        reverse("admin:index"),
        reverse("admin:contracts_subscription_changelist"),
        reverse("admin:contracts_subscription_change", args=[casa.pk]),
        reverse("admin:contracts_letter_changelist"),
        reverse("admin:service_requests_servicerequest_changelist"),
        reverse("admin:readings_reading_changelist"),
        reverse("admin:notices_notice_add"),  # date widgets and their calendar
        reverse("admin:accounts_user_changelist"),
        reverse("admin:accounts_user_change", args=[ana.pk]),
        reverse("admin:auth_group_change", args=[1]),  # the permission picker (SelectFilter)
    ]
    visit_all(page, pages, csp_reports)
    # The scripts run: the calendar of a date field opens (admin/js/calendar.js).
    page.goto(reverse("admin:notices_notice_add"))
    shortcut = page.locator(".datetimeshortcuts a").first
    if shortcut.count():
        shortcut.click()
    page.goto(reverse("admin:accounts_user_changelist"))
    page.locator("#action-toggle").check()
    assert csp_reports == []
