"""Customer service publishes, changes and withdraws notices in the back office."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from balcao.notices.models import Notice, NoticeEvent
from balcao.notices.selectors import notices_for_user
from balcao.notices.tests.factories import NoticeFactory
from balcao.notices.tests.html_forms import form_values

ADD_URL = reverse("admin:notices_notice_add")
LIST_URL = reverse("admin:notices_notice_changelist")
NOW = datetime.datetime(2026, 3, 10, 9, 0, tzinfo=datetime.UTC)


def filled_add_form(client, **fields):
    """The add page's form as the browser sends it, with the fields the clerk typed."""
    response = client.get(ADD_URL)
    assert response.status_code == 200
    data = form_values(response.content.decode(), "notice_form")
    data.update(
        {
            "title": "Corte de água programado",
            "text": "Intervenção na rede entre as 9h e as 13h.",
            "starts_at_0": "2026-03-10",
            "starts_at_1": "08:00",
            "ends_at_0": "2026-03-12",
            "ends_at_1": "13:00",
        }
    )
    data.update(fields)
    return data


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_clerk_publishes_a_planned_cut_in_one_parish(clerk_client, clerk, parishes, frozen):
    _first, other = parishes
    data = filled_add_form(clerk_client, audience="parish", parish=str(other.pk))

    response = clerk_client.post(ADD_URL, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    notice = Notice.objects.get()
    assert (notice.audience, notice.parish, notice.municipality) == ("parish", other, None)
    assert timezone.localtime(notice.starts_at).hour == 8
    event = notice.events.get()
    assert (event.kind, event.actor) == (NoticeEvent.Kind.PUBLISHED, clerk)


def test_the_audience_needs_its_place(clerk_client, frozen):
    data = filled_add_form(clerk_client, audience="parish", parish="")
    response = clerk_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "Escolha a freguesia a que o aviso se destina." in response.content.decode()
    assert not Notice.objects.exists()


def test_the_end_comes_after_the_start(clerk_client, frozen):
    data = filled_add_form(clerk_client, ends_at_0="2026-03-09")
    response = clerk_client.post(ADD_URL, data)
    assert "O fim tem de ser depois do início." in response.content.decode()
    assert not Notice.objects.exists()


def test_contracts_are_named_by_their_numbers(clerk_client, ana, bruno, frozen):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    brunos = bruno.subscriptions.get().contract
    data = filled_add_form(
        clerk_client,
        audience="contracts",
        contract_numbers=f"{casa.contract_number}, {brunos.contract_number}\n",
    )
    assert clerk_client.post(ADD_URL, data).status_code == 302
    assert set(Notice.objects.get().contracts.all()) == {casa, brunos}


def test_an_unknown_contract_number_is_refused(clerk_client, frozen):
    data = filled_add_form(clerk_client, audience="contracts", contract_numbers="999999999")
    html = clerk_client.post(ADD_URL, data).content.decode()
    assert "Não há contratos com estes números: 999999999." in html
    assert not Notice.objects.exists()


def test_contracts_audience_needs_a_contract(clerk_client, frozen):
    data = filled_add_form(clerk_client, audience="contracts", contract_numbers="")
    html = clerk_client.post(ADD_URL, data).content.decode()
    assert "Indique pelo menos um número de contrato." in html


def test_changing_a_notice_is_recorded(clerk_client, clerk, frozen):
    notice = NoticeFactory(title="Antigo")
    url = reverse("admin:notices_notice_change", args=[notice.pk])
    data = form_values(clerk_client.get(url).content.decode(), "notice_form")
    data["title"] = "Novo título"
    assert clerk_client.post(url, data).status_code == 302
    notice.refresh_from_db()
    assert notice.title == "Novo título"
    event = notice.events.get()
    assert (event.kind, event.actor, event.note) == ("changed", clerk, "title")


def test_withdrawing_ends_the_notice_now(clerk_client, clerk, ana, frozen):
    notice = NoticeFactory(starts_at=NOW - datetime.timedelta(days=1))
    response = clerk_client.post(
        LIST_URL, {"action": "withdraw", "_selected_action": [str(notice.pk)]}, follow=True
    )
    assert "1 aviso retirado." in response.content.decode()
    notice.refresh_from_db()
    assert notice.ends_at == NOW
    assert notice.events.get().kind == NoticeEvent.Kind.WITHDRAWN
    assert list(notices_for_user(ana)) == []


def test_the_queue_filters_by_state(clerk_client, frozen):
    NoticeFactory(title="Em curso")
    NoticeFactory(
        title="Futuro",
        starts_at=NOW + datetime.timedelta(days=2),
        ends_at=NOW + datetime.timedelta(days=3),
    )
    html = clerk_client.get(LIST_URL, {"estado": "scheduled"}).content.decode()
    assert "Futuro" in html and "Em curso" not in html


def test_customers_cannot_open_the_back_office(ana_client):
    response = ana_client.get(ADD_URL)
    assert response.status_code == 302


def test_withdrawing_a_scheduled_notice_means_it_is_never_shown(clerk_client, ana, frozen):
    scheduled = NoticeFactory(
        starts_at=NOW + datetime.timedelta(days=2), ends_at=NOW + datetime.timedelta(days=3)
    )
    ended = NoticeFactory(
        starts_at=NOW - datetime.timedelta(days=3), ends_at=NOW - datetime.timedelta(days=2)
    )
    response = clerk_client.post(
        LIST_URL,
        {"action": "withdraw", "_selected_action": [str(scheduled.pk), str(ended.pk)]},
        follow=True,
    )
    assert "1 aviso retirado." in response.content.decode()  # the ended one stays as it was
    scheduled.refresh_from_db()
    assert scheduled.starts_at < scheduled.ends_at == NOW
    assert not ended.events.exists()
    for later in (NOW, NOW + datetime.timedelta(days=2, hours=1)):
        assert list(notices_for_user(ana, later)) == []
