"""Receiving a file from outside and importing it (models.received_files): the same steps
for a Multibanco notification file and for the bank's answer to a direct debit file.

``receive_file`` keeps the file as it came (queued), once: the same bytes (their SHA-256)
imported before raise ``AlreadyImported``. ``run_import`` moves it to running, does the
caller's work in one transaction with the file's counters, and ends done, or failed with
the error (nothing of the work is written then; the file may be sent again).
"""

import hashlib
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from balcao.accounts.models import User
from balcao.core.transitions import transition
from balcao.payments.models.received_files import ReceivedFile

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=ReceivedFile)
T = TypeVar("T")


class AlreadyImported(Exception):
    """This very file (same SHA-256) was imported before: nothing is done again."""

    def __init__(self, earlier: ReceivedFile):
        self.earlier = earlier
        super().__init__(f"{earlier.name} was imported on {earlier.created_at:%Y-%m-%d}.")


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def earlier_import(model: type[F], data: bytes) -> F | None:
    """The import of these very bytes that counts (queued, running or done), if any."""
    found = model._default_manager.exclude(status=ReceivedFile.Status.FAILED)
    return found.filter(sha256=sha256_of(data)).first()


def receive_file(model: type[F], *, name: str, data: bytes, actor: User | None, **fields: Any) -> F:
    """Record a received file (queued), kept as it came, with the caller's ``fields``."""
    earlier = earlier_import(model, data)
    if earlier is not None:
        raise AlreadyImported(earlier)
    try:
        with transaction.atomic():
            received = model(name=name[:200], sha256=sha256_of(data), imported_by=actor, **fields)
            received.content.save(name[-100:] or "ficheiro", ContentFile(data), save=False)  # type: ignore[attr-defined]
            received.save()
            received.events.create(kind=ReceivedFile.Status.QUEUED, actor=actor)  # type: ignore[attr-defined]
    except IntegrityError:  # the same file received twice at once
        raise AlreadyImported(earlier_import(model, data) or received) from None
    return received


def run_import(received: F, *, work: Callable[[F, bytes], T], fields: list[str]) -> T:
    """Run ``work(file, content)``, which sets the file's counters ``fields``, in one
    transaction that ends with the file done; on an error the file is failed, and raised."""
    model = type(received)
    with transaction.atomic():
        received = model._default_manager.select_for_update().get(pk=received.pk)
        transition(received, ReceivedFile.Status.RUNNING, actor=received.imported_by)
    try:
        with received.content.open("rb") as handle:  # type: ignore[attr-defined]
            data = handle.read()
        with transaction.atomic():
            result = work(received, data)
            received.finished_at = timezone.now()
            transition(
                received,
                ReceivedFile.Status.DONE,
                actor=received.imported_by,
                fields=[*fields, "finished_at"],
            )
    except Exception as error:
        logger.exception("%s %s failed", model.__name__, received)
        received.refresh_from_db()
        received.error = str(error)[:2000]
        received.finished_at = timezone.now()
        transition(
            received,
            ReceivedFile.Status.FAILED,
            actor=received.imported_by,
            note=str(error)[:500],
            fields=["error", "finished_at"],
        )
        raise
    return result
