"""The back office's first page counts the work waiting, each count a link to its queue,
in a few aggregate queries, and only for the queues the staff member may see."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.models import Letter, Subscription
from balcao.contracts.tests.factories import SubscriptionFactory
from balcao.core.roles import sync_staff_groups
from balcao.readings.models import Reading
from balcao.readings.tests.factories import ReadingFactory
from balcao.service_requests import services
from balcao.service_requests.models import Channel, RequestType, ServiceRequest

pytestmark = pytest.mark.django_db


def submit(user, n):
    return services.submit_request(
        user=user,
        request_type=RequestType.INFORMATION,
        contract=None,
        channel=Channel.EMAIL,
        contact_value=user.email,
        description=f"Pergunta {n}",
    )


@pytest.fixture
def work(ana, clerk):
    sync_staff_groups()
    for name in ["Armazém", "Quinta", "Garagem"]:
        SubscriptionFactory(user=ana, custom_name=name, status=Subscription.Status.EVALUATING)
    casa = ana.subscriptions.get(custom_name="Casa")
    Letter.objects.create(subscription=casa, recipient_name="Ana Silva", address_lines="Leiria")
    Letter.objects.create(subscription=casa, recipient_name="Ana Silva", address_lines="Leiria")
    Letter.objects.filter(pk=Letter.objects.first().pk).update(printed_at="2026-01-01T10:00Z")
    requests = [submit(ana, n) for n in range(4)]
    services.start_resolution(service_request=requests[0], actor=clerk)
    installation = casa.contract.installation
    for day in (5, 6):
        ReadingFactory(
            installation=installation,
            taken_on=datetime.date(2026, 1, day),
            index=day,
            status=Reading.Status.RECEIVED,
        )


def rows(html):
    start = html.index('id="pending-work"')
    return html[start : html.index("</table>", start)]


def test_the_clerk_sees_each_queue_counted_with_a_link_to_it(work, clerk_client):
    html = rows(clerk_client.get(reverse("admin:index")).content.decode())

    subscriptions = reverse("admin:contracts_subscription_changelist")
    letters = reverse("admin:contracts_letter_changelist")
    requests = reverse("admin:service_requests_servicerequest_changelist")
    readings = reverse("admin:readings_reading_changelist")
    assert f'href="{subscriptions}?status__exact=evaluating">Subscrições por avaliar</a>' in html
    assert f'href="{letters}?estado=pendente">Cartas por imprimir</a>' in html
    assert f'href="{requests}?status__exact=submitted">Pedidos submetidos' in html
    assert f'href="{requests}?status__exact=in_progress">Pedidos em resolução</a>' in html
    assert f'href="{readings}?status__exact=received">Leituras por validar</a>' in html
    payments = reverse("admin:payments_pendingmultibancoline_changelist")
    assert f'href="{payments}">Pagamentos por conciliar</a>' in html
    counts = [int(n) for n in re.findall(r"<td>(\d+)</td>", html)]
    assert counts == [3, 1, 3, 1, 2, 0]
    assert ServiceRequest.objects.filter(status="submitted").count() == 3


def test_each_link_opens_the_queue_with_exactly_that_many_rows(work, clerk_client):
    response = clerk_client.get(
        reverse("admin:contracts_subscription_changelist"), {"status__exact": "evaluating"}
    )
    assert response.context["cl"].result_count == 3
    response = clerk_client.get(
        reverse("admin:contracts_letter_changelist"), {"estado": "pendente"}
    )
    assert response.context["cl"].result_count == 1


def test_the_counts_cost_one_aggregate_query_per_queue(work, clerk_client):
    with CaptureQueriesContext(connection) as queries:
        response = clerk_client.get(reverse("admin:index"))
    assert response.status_code == 200
    counting = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    # subscriptions, letters, requests (both statuses in one GROUP BY), readings, payments
    assert len(counting) == 5, counting
    assert len(queries) <= 12


def test_a_staff_member_sees_only_the_queues_of_the_models_they_may_see(work, client):
    reader = UserFactory(username="leitor", is_staff=True)
    reader.groups.add(Group.objects.get(name="Leituras"))
    client.force_login(reader)

    html = rows(client.get(reverse("admin:index")).content.decode())

    assert "Leituras por validar" in html
    assert "Subscrições" not in html and "Cartas" not in html and "Pedidos" not in html


def test_a_staff_member_with_no_queue_sees_no_empty_table(db, client):
    client.force_login(UserFactory(username="vazio", is_staff=True))
    assert 'id="pending-work"' not in client.get(reverse("admin:index")).content.decode()
