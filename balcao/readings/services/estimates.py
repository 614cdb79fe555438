"""The billing run's hooks: an estimated index for a day without a reading, and the reading
used in an invoice (DOMAIN.md "estimate").

Each comes for one reading and for many: the run stores a batch's estimates and marks a
batch's readings used in a constant number of queries (``record_estimates``,
``mark_used_in_invoices``); the single-row versions are the same code for one reading.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import CharField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.contracts.models import Installation
from balcao.core.bulk import insert_rows, insert_values
from balcao.core.transitions import check_transition
from balcao.readings.models import Reading, ReadingEvent
from balcao.readings.selectors import InstallationReadings, load_installation_readings


def estimate_for(data: InstallationReadings, taken_on: datetime.date) -> Reading:
    """The estimated reading of a day without a real one, not saved yet (DOMAIN.md
    "estimate"): the index is the last real point plus the average daily consumption
    between the last two real readings (or the tariff's default) × the days since; never
    below the current meter's last valid index up to that day. A day before the latest real
    reading (a month billed after the next reading came in) lies between two real
    readings: the curve interpolates them, and a later reading is not a floor."""
    meter = data.current_meter
    if meter is None:
        raise ValidationError(_("A instalação não tem contador ativo."))
    volume, _estimated = data.curve.volume_at(taken_on)
    index = int(volume.to_integral_value()) - data.register.volume(meter.pk, 0)
    last = data.last_valid_on_current_meter(on_or_before=taken_on)
    index = max(index, last.index if last else meter.initial_index)
    return Reading(
        installation=data.installation,
        meter=meter,
        taken_on=taken_on,
        index=index,
        origin=Reading.Origin.ESTIMATE,
        status=Reading.Status.RECEIVED,
    )


def _record_events(
    events: Iterable[tuple[Reading, str, str]], *, actor: User | None = None
) -> None:
    """The events (reading, kind, note) of status moves made together: one time, one
    INSERT (an instance per row would cost more than the row)."""
    now = timezone.now()
    insert_values(
        ReadingEvent,
        ("reading", "kind", "note", "actor", "at"),
        [
            (reading.pk, kind, note, actor.pk if actor else None, now)
            for reading, kind, note in events
        ],
    )


@transaction.atomic
def record_estimates(estimates: Sequence[Reading], *, actor: User | None = None) -> list[Reading]:
    """Store estimates from ``estimate_for`` as received and validated for billing, with
    both events, in two queries however many they are."""
    for reading in estimates:
        check_transition(reading, Reading.Status.BILLABLE)
        reading.submitted_by = actor
        reading.status = Reading.Status.BILLABLE
    insert_rows(estimates, returning_pks=True)
    _record_events(
        (
            (reading, kind, "")
            for reading in estimates
            for kind in (Reading.Status.RECEIVED, Reading.Status.BILLABLE)
        ),
        actor=actor,
    )
    return list(estimates)


def record_estimate(
    *, installation: Installation, taken_on: datetime.date, actor: User | None = None
) -> Reading:
    """Store the estimated index of a day without a real reading (``estimate_for``); the
    billing run stores it with the invoice that used it (then mark_used_in_invoice)."""
    data = load_installation_readings(installation)
    return record_estimates([estimate_for(data, taken_on)], actor=actor)[0]


@transaction.atomic
def mark_used_in_invoices(
    used: Sequence[tuple[Reading, str]], *, actor: User | None = None
) -> None:
    """The last step of readings' life-cycle, "Usada na fatura FT …", for (reading, invoice
    number) pairs: each move checked against Reading.TRANSITIONS and recorded as an event,
    in two queries however many they are."""
    for reading, invoice_number in used:
        check_transition(reading, Reading.Status.INVOICED)
        reading.invoice_number = invoice_number
        reading.history_reason = ""
        reading.status = Reading.Status.INVOICED
    if not used:
        return
    # One UPDATE, each reading its invoice's number: CASE id WHEN … THEN … END (Django's
    # Case/When would resolve a filter per reading, slower than the UPDATE itself).
    column = connection.ops.quote_name(str(Reading._meta.pk.column))
    numbers = RawSQL(  # noqa: S611  # nosec B611  # every value is a parameter
        f"CASE {column} {' '.join(['WHEN %s THEN %s'] * len(used))} END",
        [value for reading, number in used for value in (reading.pk, number)],
        output_field=CharField(),
    )
    Reading.objects.filter(pk__in=[reading.pk for reading, _number in used]).update(
        status=Reading.Status.INVOICED, history_reason="", invoice_number=numbers
    )
    _record_events(
        ((reading, Reading.Status.INVOICED, number) for reading, number in used), actor=actor
    )


def mark_used_in_invoice(
    *, reading: Reading, invoice_number: str, actor: User | None = None
) -> None:
    """The billing run's last step of a reading's life-cycle: "Usada na fatura FT …"."""
    mark_used_in_invoices([(reading, invoice_number)], actor=actor)
