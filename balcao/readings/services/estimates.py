"""The billing run's hooks: an estimated index for a day without a reading, and the reading
used in an invoice (DOMAIN.md "estimate")."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.contracts.models import Installation
from balcao.readings.models import Reading
from balcao.readings.selectors import load_installation_readings
from balcao.readings.services.lifecycle import create_received, move_reading


@transaction.atomic
def record_estimate(
    *, installation: Installation, taken_on: datetime.date, actor: User | None = None
) -> Reading:
    """Store the estimated index of a day without a real reading (DOMAIN.md "estimate").

    The index is the last real point plus the average daily consumption between the
    last two real readings (or the tariff's default) × the days since; never below
    the current meter's last valid index. The billing run stores it with the invoice
    that used it (then mark_used_in_invoice).
    """
    data = load_installation_readings(installation)
    meter = data.current_meter
    if meter is None:
        raise ValidationError(_("A instalação não tem contador ativo."))
    volume, _estimated = data.curve.volume_at(taken_on)
    index = int(volume.to_integral_value()) - data.register.volume(meter.pk, 0)
    last = data.last_valid_on_current_meter()
    index = max(index, last.index if last else meter.initial_index)
    reading = create_received(
        installation=installation,
        meter=meter,
        taken_on=taken_on,
        index=index,
        origin=Reading.Origin.ESTIMATE,
        submitted_by=actor,
    )
    move_reading(reading, Reading.Status.BILLABLE, actor=actor)
    return reading


@transaction.atomic
def mark_used_in_invoice(
    *, reading: Reading, invoice_number: str, actor: User | None = None
) -> None:
    """The billing run's last step of a reading's life-cycle: "Usada na fatura FT …"."""
    reading.invoice_number = invoice_number
    move_reading(reading, Reading.Status.INVOICED, actor=actor, note=invoice_number)
