"""Production serving (issue 14): /saude, the request log, the password hasher's cost, and
the cache of the home page's notices.
"""

import datetime
import json
import logging

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from balcao.accounts.tests.factories import PASSWORD
from balcao.core.log_format import JsonFormatter
from balcao.notices import services as notice_services

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


# --- /saude ---------------------------------------------------------------------------


def test_health_answers_json_without_login(client):
    response = client.get("/saude")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "migrations": "ok",
        "task_queue_oldest_seconds": 0,
        "status": "ok",
    }
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_health_fails_when_a_task_has_waited_too_long(client):
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="balcao.readings.tasks.nothing",
        backend_name="default",
        queue_name="default",
        run_after=timezone.now() - datetime.timedelta(hours=1),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    response = client.get("/saude")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["task_queue_oldest_seconds"] >= 600


# --- The request log ------------------------------------------------------------------


def test_one_log_line_per_request_with_the_user_id_and_no_email_or_nif(client, ana, caplog):
    caplog.set_level(logging.INFO, logger="balcao.request")
    client.post(LOGIN, {"username": ana.email, "password": PASSWORD})
    client.get(reverse("portal:home"), {"procura": ana.email, "nif": ana.nif})
    client.get(reverse("accounts:profile"))  # the page shows the e-mail and the NIF

    records = [r for r in caplog.records if r.name == "balcao.request"]
    assert [(r.method, r.path, r.status) for r in records] == [
        ("POST", LOGIN, 302),
        ("GET", reverse("portal:home"), 200),
        ("GET", reverse("accounts:profile"), 200),
    ]
    assert [r.user_id for r in records] == [ana.pk, ana.pk, ana.pk]
    assert all(r.duration_ms >= 0 and len(r.request_id) == 32 for r in records)
    assert len({r.request_id for r in records}) == 3
    formatter = JsonFormatter()
    for record in records:
        for line in (record.getMessage(), formatter.format(record)):
            assert ana.email not in line and ana.email.split("@")[0] not in line
            assert ana.nif not in line
    entry = json.loads(formatter.format(records[1]))
    assert entry["user_id"] == ana.pk and entry["status"] == 200
    assert entry["path"] == reverse("portal:home")  # without the query string


def test_the_proxy_request_id_is_kept_and_returned(client, caplog):
    caplog.set_level(logging.INFO, logger="balcao.request")
    response = client.get(LOGIN, headers={"X-Request-ID": "lb-1234abcd"})
    assert response["X-Request-ID"] == "lb-1234abcd"
    hostile = client.get(LOGIN, headers={"X-Request-ID": "ana@example.pt\nforged line"})
    assert hostile["X-Request-ID"] != "ana@example.pt\nforged line"
    assert [r.request_id for r in caplog.records][0] == "lb-1234abcd"


# --- Argon2id at OWASP's minimum ------------------------------------------------------


def test_a_hash_at_djangos_default_cost_is_upgraded_at_the_next_login(client, ana, settings):
    settings.PASSWORD_HASHERS = ["balcao.accounts.hashers.Argon2idOwaspHasher"]
    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    assert "m=102400,t=2,p=8" in old
    type(ana).objects.filter(pk=ana.pk).update(password=old)

    response = client.post(LOGIN, {"username": "ana", "password": PASSWORD})

    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert ana.check_password(PASSWORD)


def test_a_wrong_password_does_not_upgrade_the_hash(client, ana, settings):
    settings.PASSWORD_HASHERS = ["balcao.accounts.hashers.Argon2idOwaspHasher"]
    old = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    type(ana).objects.filter(pk=ana.pk).update(password=old)
    client.post(LOGIN, {"username": "ana", "password": "não é esta"})
    ana.refresh_from_db()
    assert ana.password == old


# --- The home page's notices, cached briefly ------------------------------------------


def test_a_notice_published_after_the_home_page_was_cached_shows_at_once(ana_client, ana):
    home = reverse("portal:home")
    assert "Corte de água" not in ana_client.get(home).content.decode()
    now = timezone.now()
    notice_services.publish_notice(
        actor=None,
        title="Corte de água na Rua Direita",
        text="Das 9h às 12h.",
        starts_at=now - datetime.timedelta(minutes=1),
        ends_at=now + datetime.timedelta(days=1),
    )
    assert "Corte de água na Rua Direita" in ana_client.get(home).content.decode()


def test_the_notices_are_not_fetched_again_within_the_minute(ana_client):
    home = reverse("portal:home")
    with CaptureQueriesContext(connection) as first:
        ana_client.get(home)
    with CaptureQueriesContext(connection) as second:
        ana_client.get(home)
    assert any("notices_notice" in q["sql"] for q in first.captured_queries)
    assert not any("notices_notice" in q["sql"] for q in second.captured_queries)
