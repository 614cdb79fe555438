"""The five event tables moved onto balcao.core.events.Event with their rows kept.

The database goes back to the migrations before the change, rows are written with the
historical models (the old column names: action, detail, status), and after migrating
forward the same rows read back through today's models.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from balcao.accounts.models import AccountEvent
from balcao.contracts.models import SubscriptionEvent
from balcao.notices.models import NoticeEvent
from balcao.notices.tests.factories import NoticeFactory
from balcao.readings.models import Reading, ReadingEvent
from balcao.readings.tests.factories import ReadingFactory
from balcao.service_requests import services as request_services
from balcao.service_requests.models import Channel, RequestEvent, RequestType

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("accounts", "0002_account_events_and_sessions"),
    ("contracts", "0002_activation_events_and_letters"),
    ("notices", "0001_notices_and_dismissals"),
    ("readings", "0001_reading_events_and_reminders"),
    ("service_requests", "0001_requests_events_attachments"),
]
AT = datetime.datetime(2025, 3, 14, 9, 26, 53, tzinfo=datetime.UTC)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None


def test_old_event_rows_are_kept_with_their_values(ana, clerk):
    # The rows the events are about: their tables are not changed by these migrations.
    subscription = ana.subscriptions.first()
    notice = NoticeFactory()
    service_request = request_services.submit_request(
        user=ana,
        request_type=RequestType.COMPLAINT,
        contract=subscription.contract,
        channel=Channel.NONE,
        contact_value="",
        description="Fuga no contador.",
    )
    reading = ReadingFactory(
        installation=subscription.contract.installation,
        taken_on=datetime.date(2025, 3, 5),
        index=140,
        status=Reading.Status.HISTORY,
        history_reason=Reading.HistoryReason.OUTSIDE_WINDOW,
    )

    old = migrate(BEFORE)
    created = {
        "subscription": old.get_model("contracts", "SubscriptionEvent").objects.create(
            subscription_id=subscription.pk, kind="renamed", actor_id=ana.pk, note="Casa → Lar"
        ),
        "notice": old.get_model("notices", "NoticeEvent").objects.create(
            notice_id=notice.pk, at=AT, actor_id=clerk.pk, action="changed", detail="title"
        ),
        "request": old.get_model("service_requests", "RequestEvent").objects.create(
            request_id=service_request.pk,
            at=AT,
            actor_id=clerk.pk,
            action="in_progress",
            from_status="submitted",
            to_status="in_progress",
            note="Com o piquete.",
        ),
        "reading": old.get_model("readings", "ReadingEvent").objects.create(
            reading_id=reading.pk, at=AT, actor_id=clerk.pk, status="history", note="x" * 200
        ),
        "account": old.get_model("accounts", "AccountEvent").objects.create(
            user_id=ana.pk, kind="email_changed", device="Firefox em Linux", detail="a@b.pt"
        ),
    }
    # auto_now_add wrote "now" on the two models that had it: give them a known time too.
    for key in ("subscription", "account"):
        type(created[key]).objects.filter(pk=created[key].pk).update(at=AT)
    migrate(None)

    def read(model, key):
        return model.objects.get(pk=created[key].pk)

    event = read(SubscriptionEvent, "subscription")
    assert (event.subscription, event.at, event.actor, event.kind, event.note) == (
        subscription,
        AT,
        ana,
        "renamed",
        "Casa → Lar",
    )
    event = read(NoticeEvent, "notice")
    assert (event.notice, event.at, event.actor, event.kind, event.note) == (
        notice,
        AT,
        clerk,
        "changed",
        "title",
    )
    event = read(RequestEvent, "request")
    assert (event.request, event.at, event.actor, event.kind, event.note) == (
        service_request,
        AT,
        clerk,
        "in_progress",
        "Com o piquete.",
    )
    assert (event.from_status, event.to_status) == ("submitted", "in_progress")
    event = read(ReadingEvent, "reading")
    assert (event.reading, event.at, event.actor, event.kind, event.note) == (
        reading,
        AT,
        clerk,
        "history",
        "x" * 200,
    )
    event = read(AccountEvent, "account")
    assert (event.user, event.at, event.actor, event.kind, event.note, event.device) == (
        ana,
        AT,
        None,
        "email_changed",
        "a@b.pt",
        "Firefox em Linux",
    )
    # The rows written before going back (the request's own events) are there too.
    kinds = service_request.events.order_by("pk").values_list("kind", flat=True)
    assert list(kinds) == ["submitted", "notified", "in_progress"]
