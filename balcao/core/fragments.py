"""Rendered page fragments cached under the digest of what they show (issue 14).

A page's long tables and charts (the year's readings, consumption by month, the year's
invoices) cost more to render than to fetch. The view still fetches their data on every
request; ``fragment_key`` digests that data, and the template wraps the part that shows
it in ``{% cache TIMEOUT "name" fragment %}`` (Django's cache tag, on the default cache:
Redis in production, shared by every worker and machine). Nothing is ever invalidated,
and nothing can be stale: a new reading, an invoice paid, another language or a release
that changed a template or a tag gives another digest, hence another entry; the old ones
expire. A model instance counts by the values of all its columns, so a template that
starts showing another field of it needs no change here; what the fragment shows of a
related object must be passed on its own (or be fixed by the columns passed, as a
corrected invoice's number by ``corrects_id``).

The entries hold rendered HTML with the customer's data, as the sessions in the same
cache do; they live for ``TIMEOUT`` at most.
"""

import dataclasses
import datetime
import decimal
import functools
import hashlib
import operator
import pickle  # only dumps, to digest: nothing is ever loaded
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import get_language

TIMEOUT = 3600  # seconds: a customer's visit, not a month of stale entries


def fragment_key(*parts: object) -> str:
    """The digest of ``parts`` (model instances, dataclasses, dicts, lists, scalars), the
    active language and the release (templates, template tags and translations)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{_release()}|{get_language()}".encode())
    for part in parts:
        _feed(digest, part)
    return digest.hexdigest()


def _feed(digest, value: object) -> None:
    if isinstance(value, models.Model):
        # pickle: C-fast and exact (two equal rows give equal bytes, or at worst a miss).
        values = (type(value).__name__, _columns(type(value))(value))
        digest.update(pickle.dumps(values, protocol=pickle.HIGHEST_PROTOCOL))
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(type(value).__name__.encode())
        for field in dataclasses.fields(value):
            _feed(digest, getattr(value, field.name))
    elif isinstance(value, dict):
        digest.update(b"{")
        for key, item in value.items():
            digest.update(repr(key).encode())
            _feed(digest, item)
        digest.update(b"}")
    elif isinstance(value, list | tuple):
        digest.update(b"[")
        for item in value:
            _feed(digest, item)
        digest.update(b"]")
    elif value is None or isinstance(
        value, str | int | float | decimal.Decimal | datetime.date | bool
    ):
        digest.update(b"\x1e" + repr(value).encode())
    else:
        raise TypeError(f"fragment_key cannot digest a {type(value).__name__}")


@functools.cache
def _columns(model: type[models.Model]) -> operator.attrgetter:
    """Every column of the model's rows: a getter of their values, as one tuple."""
    return operator.attrgetter(*(field.attname for field in model._meta.concrete_fields))


@functools.cache
def _release() -> str:
    """What a fragment's HTML depends on besides its data: the templates, the template tags
    and the compiled translations, digested once per process (a deploy restarts it)."""
    base = Path(settings.BASE_DIR)
    files = sorted(
        [
            *base.glob("templates/**/*.html"),
            *base.glob("balcao/*/templatetags/*.py"),
            *base.glob("locale/*/LC_MESSAGES/*.mo"),
        ]
    )
    digest = hashlib.blake2b(digest_size=8)
    for path in files:
        digest.update(str(path.relative_to(base)).encode() + path.read_bytes())
    return digest.hexdigest()
