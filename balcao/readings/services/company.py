"""The utility's readings and meters: a reader's reading (also imported), a meter replaced."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.contracts.models import Installation, Meter
from balcao.readings.models import Reading
from balcao.readings.services.lifecycle import create_received, move_reading
from balcao.readings.windows import window_for


def meter_on(installation: Installation, day: datetime.date) -> Meter | None:
    """The meter that was on the installation on that day."""
    return (
        Meter.objects.filter(installation=installation, installed_on__lte=day)
        .filter(Q(removed_on__isnull=True) | Q(removed_on__gte=day))
        .order_by("-installed_on", "-pk")
        .first()
    )


def validate_company_reading(
    *, installation: Installation, taken_on: datetime.date, index: int, meter: Meter | None = None
) -> Meter:
    """Check a company reading; returns the meter it belongs to, or raises ValidationError.

    Refused in the future, before the meter was fitted, outside the meter's initial
    and final indexes, below its previous company reading, or when the meter already
    has a company reading that day.
    """
    if taken_on > timezone.localdate():
        raise ValidationError(_("A data da leitura não pode ser no futuro."))
    meter = meter or meter_on(installation, taken_on)
    if meter is None:
        raise ValidationError(_("A instalação não tinha contador nessa data."))
    if index < meter.initial_index:
        raise ValidationError(
            _("A leitura é inferior ao índice inicial do contador (%(index)s m³).")
            % {"index": meter.initial_index}
        )
    if meter.final_index is not None and index > meter.final_index:
        raise ValidationError(
            _("A leitura é superior ao índice final do contador (%(index)s m³).")
            % {"index": meter.final_index}
        )
    company = Reading.objects.filter(meter=meter, origin=Reading.Origin.COMPANY)
    if company.filter(taken_on=taken_on).exists():
        raise ValidationError(_("Já existe uma leitura dos SMAS deste contador nessa data."))
    previous = company.filter(taken_on__lt=taken_on).order_by("-taken_on").first()
    if previous is not None and index < previous.index:
        raise ValidationError(
            _("A leitura é inferior à leitura dos SMAS de %(date)s (%(index)s m³).")
            % {"date": previous.taken_on.strftime("%d/%m/%Y"), "index": previous.index}
        )
    return meter


@transaction.atomic
def record_company_reading(
    *,
    installation: Installation,
    taken_on: datetime.date,
    index: int,
    reader: str = "",
    actor: User | None = None,
    meter: Meter | None = None,
) -> Reading:
    """Record a reading by the utility's reader (DOMAIN.md: at least twice a year).

    It counts for billing; a customer reading in the same window then stays for
    history only (manual 6.3, note). Checked by validate_company_reading.
    """
    Installation.objects.select_for_update().filter(pk=installation.pk).first()
    meter = validate_company_reading(
        installation=installation, taken_on=taken_on, index=index, meter=meter
    )
    reading = create_received(
        installation=installation,
        meter=meter,
        taken_on=taken_on,
        index=index,
        origin=Reading.Origin.COMPANY,
        reader=reader[:100],
        submitted_by=actor,
    )
    move_reading(reading, Reading.Status.BILLABLE, actor=actor)

    window = window_for(installation, taken_on)
    if taken_on in window:
        customer = Reading.objects.filter(
            installation=installation,
            origin=Reading.Origin.CUSTOMER,
            status=Reading.Status.BILLABLE,
            taken_on__gte=window.start,
            taken_on__lte=window.end,
        )
        for old in customer:
            move_reading(
                old,
                Reading.Status.HISTORY,
                actor=actor,
                reason=Reading.HistoryReason.COMPANY_READING,
            )
    return reading


@transaction.atomic
def replace_meter(
    *,
    installation: Installation,
    removed_on: datetime.date,
    final_index: int,
    new_serial: str,
    new_initial_index: int,
    new_calibre_mm: int | None = None,
    actor: User | None = None,
) -> Meter:
    """Close the current meter with its final index and fit a new one (DOMAIN.md).

    The new meter starts on the day the old one is removed, with its own initial
    index; consumption across the change counts what each meter measured.
    """
    old = (
        Meter.objects.select_for_update()
        .filter(installation=installation, removed_on__isnull=True)
        .first()
    )
    if old is None:
        raise ValidationError(_("A instalação não tem contador ativo."))
    if removed_on < old.installed_on:
        raise ValidationError(_("A data de substituição é anterior à instalação do contador."))
    if removed_on > timezone.localdate():
        raise ValidationError(_("A data de substituição não pode ser no futuro."))
    real = Reading.objects.filter(meter=old).exclude(origin=Reading.Origin.ESTIMATE)
    if real.filter(taken_on__gt=removed_on).exists():
        raise ValidationError(_("O contador tem leituras posteriores à data de substituição."))
    highest = real.filter(status__in=Reading.VALID_STATUSES).order_by("-index").first()
    floor = max(old.initial_index, highest.index if highest else 0)
    if final_index < floor:
        raise ValidationError(
            _("O índice final não pode ser inferior a %(index)s m³ (última leitura válida).")
            % {"index": floor}
        )
    old.removed_on = removed_on
    old.final_index = final_index
    old.full_clean()
    old.save(update_fields=["removed_on", "final_index"])
    new = Meter(
        serial=new_serial.strip(),
        installation=installation,
        installed_on=removed_on,
        initial_index=new_initial_index,
        calibre_mm=new_calibre_mm or old.calibre_mm,
    )
    new.full_clean()
    new.save()
    return new
