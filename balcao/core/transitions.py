"""The one place where a status moves: along the model's declared table, with its event.

A model with a status declares (django-oscar's pattern, STYLE.md):

    TRANSITIONS = {Status.A: {Status.B}, Status.B: set()}  # from → allowed destinations
    EVENTS = "events"  # the reverse relation of its Event subclass (balcao.core.events)

and every service moves it with ``transition(obj, to, actor=…, note=…)``.
"""

from typing import Any

from django.db import models, transaction

# A model instance that declares ``status``, ``TRANSITIONS`` and ``EVENTS`` (the stubs cannot
# say "a Model with these class attributes" without a mixin every model would inherit).
StatusModel = Any


class TransitionNotAllowed(Exception):
    """A status change that the model's TRANSITIONS table does not allow.

    It is a programming or concurrency error (a stale page, two clerks at once), not a
    message for the customer; views that can meet it say so in their own words.
    """

    def __init__(self, obj: StatusModel, to: str):
        self.obj = obj
        self.from_status = obj.status
        self.to_status = to
        name = type(obj).__name__
        super().__init__(
            f"{name} {obj.pk}: {str(obj.status)!r} -> {str(to)!r} is not in {name}.TRANSITIONS"
        )


def can_transition(obj: StatusModel, to: str) -> bool:
    # TextChoices members hash and compare as their values: plain strings look them up.
    return to in obj.TRANSITIONS.get(obj.status, ())


def check_transition(obj: StatusModel, to: str) -> None:
    """Raise TransitionNotAllowed unless ``obj`` may move to ``to`` (nothing is written)."""
    if not can_transition(obj, to):
        raise TransitionNotAllowed(obj, to)


def transition(
    obj: StatusModel,
    to: str,
    *,
    actor: models.Model | None = None,
    note: str = "",
    kind: str | None = None,
    fields: tuple[str, ...] | list[str] = (),
    **event_fields: Any,
) -> models.Model:
    """Move ``obj`` to the status ``to`` and record the event; return the event.

    ``kind`` is the event's "what" (the new status unless given); ``fields`` are other
    columns the caller set on ``obj`` that are saved with the status; ``event_fields`` are
    the extra columns of the model's event (RequestEvent's from/to, for instance).
    """
    check_transition(obj, to)
    # savepoint=False: the callers are atomic already; a savepoint would cost two queries.
    with transaction.atomic(savepoint=False):
        obj.status = to
        obj.save(update_fields=["status", *fields])
        return getattr(obj, obj.EVENTS).create(
            kind=kind or to, actor=actor, note=note, **event_fields
        )
