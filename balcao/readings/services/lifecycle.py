"""What every reading write shares: a new reading in "Recebida", and a status move."""

import datetime
import secrets
from typing import Any

from django.db import IntegrityError, transaction

from balcao.accounts.models import User
from balcao.core.transitions import check_transition, transition
from balcao.readings.models import Reading, ReadingEvent


def move_reading(
    reading: Reading, to: str, *, actor: User | None = None, reason: str = "", note: str = ""
) -> None:
    """Move a reading along Reading.TRANSITIONS with its reason (core's transition writes the
    event; TransitionNotAllowed if the table refuses)."""
    check_transition(reading, to)
    reading.history_reason = reason if to == Reading.Status.HISTORY else ""
    transition(reading, to, actor=actor, note=note, fields=["history_reason", "invoice_number"])


def _new_receipt_number(day: datetime.date) -> str:
    # Random rather than sequential: it reveals nothing about other customers' readings.
    return f"L{day:%Y}-{secrets.randbelow(10**7):07d}"


def create_received(**fields: Any) -> Reading:
    """Insert a reading in "Recebida" with its first event (a fresh receipt number if clashing)."""
    for _attempt in range(5):
        reading = Reading(status=Reading.Status.RECEIVED, **fields)
        if fields.get("origin") == Reading.Origin.CUSTOMER:
            reading.receipt_number = _new_receipt_number(reading.taken_on)
        try:
            with transaction.atomic():
                reading.save()
        except IntegrityError:
            if (
                fields.get("idempotency_key")
                and Reading.objects.filter(idempotency_key=fields["idempotency_key"]).exists()
            ):
                raise
            continue
        ReadingEvent.objects.create(
            reading=reading,
            actor=fields.get("submitted_by"),
            kind=Reading.Status.RECEIVED,
        )
        return reading
    raise RuntimeError("Could not draw a free receipt number.")
