"""The user's active subscriptions kept in the cache between requests (issue 14).

Every signed-in page reads them (the header's selector, the page's access check, the
notices): one query joining the subscription, its contract, the contract's account, its
installation and the installation's address. The ORM spends about 0.8 ms of CPU on it per
page, the largest single part of what every page costs beyond a bare view.

The list is kept per user under a **version that any write to those five tables changes**,
however it is made. A database execute wrapper (Django's instrumentation hook, installed on
every connection) looks at each statement: an INSERT, UPDATE or DELETE on one of the tables
moves the version at once and again when the transaction commits. A page reads the version
with the list (one cache round trip) and uses the list only if it was stored under the
current version; otherwise it queries and stores the result under the version it read
*before* the query, so a list read while a write was in flight is never taken for a newer
one. ``QuerySet.update()`` and bulk writes, which send no signals, are seen like any save.

What it cannot see: a change made outside Django (psql). ``TIMEOUT`` bounds that; after
such a change, ``manage.py shell -c "from balcao.contracts import subscription_cache;
subscription_cache.bump()"`` ends every kept list at once.

Only with a cache every process shares (Redis, ``SUBSCRIPTIONS_CACHE``, on by default
when ``REDIS_URL`` is set): with a cache per process a write in one process would not
reach the lists the others keep.
"""

import functools
import hashlib
import re
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction

TIMEOUT = 300  # seconds: a customer's visit; a change made outside Django lasts no longer
VERSION_KEY = "subscriptions:version"

# The statement's verb and table, as Django writes them on PostgreSQL and SQLite.
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_VERBS = ("INSERT", "UPDATE", "DELETE")


def enabled() -> bool:
    return bool(getattr(settings, "SUBSCRIPTIONS_CACHE", False))


@functools.cache
def _models() -> tuple[type[models.Model], ...]:
    from balcao.contracts.models import BillingAccount, Contract, Installation, Subscription
    from balcao.core.models import Address

    return (Subscription, Contract, BillingAccount, Installation, Address)


@functools.cache
def watched_tables() -> frozenset[str]:
    """The tables the list is read from (contracts.access.active_subscriptions)."""
    return frozenset(model._meta.db_table for model in _models())


@functools.cache
def _shape() -> str:
    """The columns of the kept instances: a deploy that changes them uses other keys."""
    columns = [
        f"{model._meta.db_table}.{field.attname}"
        for model in _models()
        for field in model._meta.concrete_fields
    ]
    return hashlib.blake2b("|".join(columns).encode(), digest_size=6).hexdigest()


def _user_key(user_id: int) -> str:
    return f"subscriptions:{_shape()}:{user_id}"


def bump() -> None:
    """A new version: every kept list is stale from now on."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (a new or flushed cache): one never used before
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def fetch(user: Any, query: Callable[[], list]) -> list:
    """The user's list from the cache if it was kept under the current version, else from
    ``query`` (and kept)."""
    if not enabled():
        return query()
    key = _user_key(user.pk)
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1]
    subscriptions = query()
    cache.set(key, (version, subscriptions), timeout=TIMEOUT)
    return subscriptions


def _watch(execute, sql, params, many, context):
    """The execute wrapper: a write to a watched table moves the version now and when its
    transaction commits (a page that read the old rows meanwhile kept them under the
    version of before the commit)."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and sql.lstrip()[:6].upper() in _VERBS and enabled():
        match = _WRITE.match(sql)
        if match and match.group(1) in watched_tables():
            bump()
            # robust: the write is committed whatever happens to the cache then (logged).
            transaction.on_commit(bump, using=context["connection"].alias, robust=True)
    return result


def install(connection: Any, **kwargs: Any) -> None:
    """Watch this database connection's writes (the connection_created signal). First in
    the list: a temporary ``connection.execute_wrapper()`` open meanwhile pops its own."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)
