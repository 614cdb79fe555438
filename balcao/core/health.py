"""/saude: is this web machine fit to serve? For the load balancer and the smoke test.

JSON, no login, no personal data: the database and the cache answer, every migration is
applied, and how long the oldest task has waited for a worker. 200 when all is well, 503
otherwise (the balancer then sends no customer here).
"""

import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult

# A task waiting longer than this means no worker is running (or they cannot keep up).
TASK_QUEUE_MAX_AGE_SECONDS = 300

# Once every migration is applied it stays so until new code is deployed (a restart):
# the migration graph is read once per process, not on every probe.
_migrations_applied = False


def _migrations_pending() -> bool:
    global _migrations_applied
    if not _migrations_applied:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        _migrations_applied = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return not _migrations_applied


def _oldest_ready_task_age() -> float | None:
    oldest = (
        DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True)
    ).first()
    return (timezone.now() - oldest).total_seconds() if oldest else None


@login_not_required
@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    checks: dict[str, object] = {}
    healthy = True
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # any failure is "down"
        checks["database"] = "error"
        healthy = False
    try:
        key = f"health:{uuid.uuid4().hex}"
        cache.set(key, "1", timeout=5)
        ok = cache.get(key) == "1"
        cache.delete(key)
        checks["cache"] = "ok" if ok else "error"
        healthy &= ok
    except Exception:
        checks["cache"] = "error"
        healthy = False
    if checks["database"] == "ok":
        pending = _migrations_pending()
        checks["migrations"] = "pending" if pending else "ok"
        age = _oldest_ready_task_age()
        checks["task_queue_oldest_seconds"] = round(age, 1) if age is not None else 0
        healthy &= not pending and (age is None or age <= TASK_QUEUE_MAX_AGE_SECONDS)
    checks["status"] = "ok" if healthy else "error"
    return JsonResponse(checks, status=200 if healthy else 503)
