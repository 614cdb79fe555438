"""Every customer page at 360 px (a small phone): nothing is cut (issue 11, item 8).

Ana has data on every page (readings of every origin and status, requests with a long
description, a notice): the page is no wider than the screen, and no element reaches
past its right edge unless it sits in a scroll container the user can see and reach.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from balcao.billing.tests.helpers_pages import bill
from balcao.notices.tests.factories import NoticeFactory
from balcao.readings.models import Reading
from balcao.readings.tests.factories import ReadingFactory
from balcao.service_requests import services as request_services
from balcao.service_requests.models import Channel, RequestType

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 360

# Elements whose right edge passes the viewport: a table cell anywhere (tables reflow
# into stacked rows, so the status column is always seen), anything else unless it sits
# in a scroll container that shows itself (focusable, named).
OVERFLOWING = """
(width) => {
  // A scroll container the user can see and reach: it scrolls, takes the keyboard focus
  // and has a name (the caption of its table).
  const reachable = (p) => {
    const o = getComputedStyle(p).overflowX;
    return (o === 'auto' || o === 'scroll') && p.tabIndex >= 0
      && (p.getAttribute('aria-labelledby') || p.getAttribute('aria-label'));
  };
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (reachable(p)) return true;
    }
    return false;
  };
  const describe = (el, box) => `${el.tagName.toLowerCase()}`
    + `${el.className && typeof el.className === 'string' ? '.' + el.className : ''}`
    + ` right=${Math.round(box.right)}: ${(el.innerText || '').trim().slice(0, 40)}`;
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    // A table's cells all on screen (the status column above all); anything else either
    // on screen or in a reachable scroll container.
    const cell = el.matches('td, th') && el.closest('table');
    if (box.right > width + 0.5 && (cell || !inScroller(el))) found.push(describe(el, box));
  }
  return {scrollWidth: document.documentElement.scrollWidth, found};
}
"""


@pytest.fixture
def ana_with_data(ana):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    installation = casa.installation
    today = timezone.localdate()
    for days_ago, index, origin, status, reason in (
        (200, 1520, Reading.Origin.COMPANY, Reading.Status.INVOICED, ""),
        (140, 1580, Reading.Origin.ESTIMATE, Reading.Status.INVOICED, ""),
        (100, 1561, Reading.Origin.CUSTOMER, Reading.Status.BILLABLE, ""),
        (70, 1590, Reading.Origin.CUSTOMER, Reading.Status.HISTORY, "outside_window"),
        (40, 1612, Reading.Origin.COMPANY, Reading.Status.BILLABLE, ""),
    ):
        ReadingFactory(
            installation=installation,
            taken_on=today - datetime.timedelta(days=days_ago),
            index=index,
            origin=origin,
            status=status,
            history_reason=reason,
            invoice_number="FT 2026/000123" if status == Reading.Status.INVOICED else "",
            receipt_number=f"L2026-{days_ago:07d}" if origin == Reading.Origin.CUSTOMER else None,
        )
    for request_type, contract, description in (
        (RequestType.INFORMATION, None, "Qual é o horário do balcão de atendimento de Leiria?"),
        (RequestType.COMPLAINT, casa, "Reclamação sobre a faturação " * 12),
    ):
        request_services.submit_request(
            user=ana,
            request_type=request_type,
            contract=contract,
            channel=Channel.EMAIL,
            contact_value=ana.email,
            description=description,
        )
    NoticeFactory(
        title="Interrupção do abastecimento na Rua Dr. Américo Cortês Pinto",
        text="Por motivo de obras na rede, o abastecimento será interrompido.",
    )
    # two invoices, the latest unpaid (Início shows its Multibanco box)
    start = today - datetime.timedelta(days=70)
    bill(casa, start=start, volume="9", issue_date=today - datetime.timedelta(days=40))
    bill(
        casa,
        start=start + datetime.timedelta(days=30),
        volume="14",
        issue_date=today,
        adjustment_note="Acerto de 2 m³ estimados no mês anterior.",
    )
    return ana


def customer_pages(ana):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    number = casa.contract_number
    receipt = Reading.objects.filter(receipt_number__isnull=False).first().receipt_number
    request = ana.service_requests.order_by("number").last()
    pages = [
        ("portal:home", ()),
        ("contracts:list", ()),
        ("contracts:detail", (number,)),
        ("contracts:rename", (number,)),
        ("contracts:add", ()),
        ("readings:submit", (number,)),
        ("readings:history", (number,)),
        ("readings:consumption", (number,)),
        ("readings:receipt", (number, receipt)),
        ("readings:reminders", ()),
        ("service_requests:list", ()),
        ("service_requests:new", ()),
        ("service_requests:new_of_type", ("information",)),
        ("service_requests:change", (number, "billing_address")),
        ("service_requests:detail", (request.number,)),
        ("accounts:profile", ()),
        ("accounts:edit_holder", ()),
        ("accounts:edit_address", ()),
        ("accounts:change_email", ()),
        ("accounts:password_change", ()),
        ("accounts:activity", ()),
        ("accounts:two_factor", ()),
        ("accounts:my_data", ()),
        ("portal:invoices", ()),
        ("billing:invoice", (casa.invoices.order_by("pk").last().number,)),
    ]
    simulation = "?tariff_type=domestic&consumption=14&days=30"
    return [reverse(name, args=args) for name, args in pages] + [
        reverse("billing:simulator") + simulation
    ]


def test_no_customer_page_is_cut_at_360_px(browser, live_server, settings, login, ana_with_data):
    settings.ALLOWED_HOSTS = ["*"]
    context = browser.new_context(
        base_url=live_server.url,
        locale="pt-PT",
        viewport={"width": WIDTH, "height": 740},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    login(page, ana_with_data)
    problems = {}
    try:
        for url in customer_pages(ana_with_data):
            response = page.goto(url)
            assert response.status == 200, f"{url}: {response.status}"
            result = page.evaluate(OVERFLOWING, WIDTH)
            if result["scrollWidth"] > WIDTH or result["found"]:
                problems[url] = result
    finally:
        context.close()
    assert not problems, "\n".join(
        f"{url}: scrollWidth={r['scrollWidth']}\n  " + "\n  ".join(r["found"][:8])
        for url, r in problems.items()
    )


def test_consumption_chart_labels_stay_readable_at_360_px(
    browser, live_server, settings, login, ana_with_data
):
    """The chart is drawn at 640 units and shrinks to the screen: its month names and scale
    must not shrink to 6 px on a phone (manual 6.3, Consumos)."""
    settings.ALLOWED_HOSTS = ["*"]
    context = browser.new_context(
        base_url=live_server.url, locale="pt-PT", viewport={"width": WIDTH, "height": 740}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    login(page, ana_with_data)
    try:
        number = ana_with_data.subscriptions.get(custom_name="Casa").contract.contract_number
        page.goto(reverse("readings:consumption", args=[number]))
        sizes = page.evaluate(
            """() => [...document.querySelectorAll('.chart svg text')].map(t =>
                parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a)"""
        )
    finally:
        context.close()
    assert sizes and min(sizes) >= 10, sizes
