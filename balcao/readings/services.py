"""Every write about readings (manual 6.3; DOMAIN.md "Meter readings")."""

import datetime
import secrets
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.contracts.models import Contract, Installation, Meter, Subscription
from balcao.core.links import absolute_url
from balcao.core.mail import send_templated_email
from balcao.core.transitions import check_transition, transition
from balcao.readings.models import (
    Reading,
    ReadingEvent,
    ReadingReminder,
    ReadingReminderPreference,
)
from balcao.readings.selectors import assess_reading, load_installation_readings
from balcao.readings.windows import window_for


def _move(
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


def _create_received(**fields: Any) -> Reading:
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
            reading=reading, actor=fields.get("submitted_by"), kind=Reading.Status.RECEIVED,
        )  # fmt: skip
        return reading
    raise RuntimeError("Could not draw a free receipt number.")


@dataclass
class SubmissionOutcome:
    reading: Reading | None = None
    warnings: list[str] = field(default_factory=list)
    needs_confirmation: bool = False
    duplicate: bool = False
    # The warnings by code, to be shown and accepted (Assessment.warning_codes).
    warning_codes: frozenset[str] = frozenset()


@transaction.atomic
def submit_reading(
    *,
    installation: Installation,
    index: int,
    accepted_warnings: Collection[str],
    user: User,
    submission_key: uuid.UUID | None = None,
    contract: Contract | None = None,
) -> SubmissionOutcome:
    """Record a customer's meter reading (manual 6.3, points 1-2 and its note).

    Refused below the last valid index. With a warning (outside the window, outside
    the expected values) it is stored only once the customer accepted the values:
    ``accepted_warnings`` are the codes of the warnings the customer was shown and
    accepted, and they must be exactly the ones computed now (a crafted "accepted"
    without the warnings ever shown, or for other ones, stores nothing).
    It counts for billing when it is inside the window and no company reading exists
    in that window; otherwise it is kept for history, with the reason. A later
    reading in the same window replaces an earlier one for billing. The same form
    sent twice (same ``submission_key``) stores one reading.
    """
    # One submission at a time per installation (PostgreSQL row lock; SQLite locks anyway).
    Installation.objects.select_for_update().filter(pk=installation.pk).first()
    if submission_key is not None:
        existing = Reading.objects.filter(idempotency_key=submission_key).first()
        if existing is not None:
            if existing.installation_id != installation.pk or existing.submitted_by_id != user.pk:
                raise ValidationError(_("Este formulário já foi usado. Volte a abrir a página."))
            return SubmissionOutcome(reading=existing, duplicate=True)

    today = timezone.localdate()
    data = load_installation_readings(installation)
    assessment = assess_reading(installation, index, today, data)
    if assessment.refusal:
        raise ValidationError(assessment.refusal, code="refused")
    if assessment.warnings and frozenset(accepted_warnings) != assessment.warning_codes:
        return SubmissionOutcome(
            warnings=assessment.warnings,
            needs_confirmation=True,
            warning_codes=assessment.warning_codes,
        )

    try:
        reading = _create_received(
            installation=installation, meter=data.current_meter, taken_on=today, index=index,
            origin=Reading.Origin.CUSTOMER, submitted_by=user, idempotency_key=submission_key,
        )  # fmt: skip
    except IntegrityError:
        # The same form, sent twice at once: the first one stored it.
        existing = Reading.objects.get(idempotency_key=submission_key)
        return SubmissionOutcome(reading=existing, duplicate=True)

    window = window_for(installation, today)
    in_window = Reading.objects.filter(
        installation=installation, taken_on__gte=window.start, taken_on__lte=window.end
    )
    if today not in window:
        _move(reading, Reading.Status.HISTORY, reason=Reading.HistoryReason.OUTSIDE_WINDOW)
    elif in_window.filter(origin=Reading.Origin.COMPANY).exists():
        _move(reading, Reading.Status.HISTORY, reason=Reading.HistoryReason.COMPANY_READING)
    else:
        earlier = in_window.filter(
            origin=Reading.Origin.CUSTOMER, status=Reading.Status.BILLABLE
        ).exclude(pk=reading.pk)
        for old in earlier:
            _move(
                old, Reading.Status.HISTORY, reason=Reading.HistoryReason.REPLACED,
                note=reading.receipt_number or "",
            )  # fmt: skip
        _move(reading, Reading.Status.BILLABLE)

    if user.email:
        send_templated_email(
            to=user.email,
            template="readings_received",
            context={
                "reading": reading,
                "contract": contract,
                "installation": installation,
                "warnings": assessment.warnings,
                "history_url": absolute_url(
                    reverse("readings:history", args=[contract.contract_number])
                    if contract
                    else reverse("readings:index")
                ),
            },
            language=getattr(user, "language", None),
        )
    return SubmissionOutcome(reading=reading, warnings=assessment.warnings)


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
    *, installation: Installation, taken_on: datetime.date, index: int, reader: str = "",
    actor: User | None = None, meter: Meter | None = None,
) -> Reading:  # fmt: skip
    """Record a reading by the utility's reader (DOMAIN.md: at least twice a year).

    It counts for billing; a customer reading in the same window then stays for
    history only (manual 6.3, note). Checked by validate_company_reading.
    """
    Installation.objects.select_for_update().filter(pk=installation.pk).first()
    meter = validate_company_reading(
        installation=installation, taken_on=taken_on, index=index, meter=meter
    )
    reading = _create_received(
        installation=installation, meter=meter, taken_on=taken_on, index=index,
        origin=Reading.Origin.COMPANY, reader=reader[:100], submitted_by=actor,
    )  # fmt: skip
    _move(reading, Reading.Status.BILLABLE, actor=actor)

    window = window_for(installation, taken_on)
    if taken_on in window:
        customer = Reading.objects.filter(
            installation=installation, origin=Reading.Origin.CUSTOMER,
            status=Reading.Status.BILLABLE, taken_on__gte=window.start, taken_on__lte=window.end,
        )  # fmt: skip
        for old in customer:
            _move(
                old, Reading.Status.HISTORY, actor=actor,
                reason=Reading.HistoryReason.COMPANY_READING,
            )  # fmt: skip
    return reading


@transaction.atomic
def replace_meter(
    *, installation: Installation, removed_on: datetime.date, final_index: int,
    new_serial: str, new_initial_index: int, new_calibre_mm: int | None = None,
    actor: User | None = None,
) -> Meter:  # fmt: skip
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
        serial=new_serial.strip(), installation=installation, installed_on=removed_on,
        initial_index=new_initial_index, calibre_mm=new_calibre_mm or old.calibre_mm,
    )  # fmt: skip
    new.full_clean()
    new.save()
    return new


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
    reading = _create_received(
        installation=installation, meter=meter, taken_on=taken_on, index=index,
        origin=Reading.Origin.ESTIMATE, submitted_by=actor,
    )  # fmt: skip
    _move(reading, Reading.Status.BILLABLE, actor=actor)
    return reading


@transaction.atomic
def mark_used_in_invoice(
    *, reading: Reading, invoice_number: str, actor: User | None = None
) -> None:
    """The billing run's last step of a reading's life-cycle: "Usada na fatura FT …"."""
    reading.invoice_number = invoice_number
    _move(reading, Reading.Status.INVOICED, actor=actor, note=invoice_number)


@transaction.atomic
def set_reminder_preference(*, user: User, enabled: bool) -> ReadingReminderPreference:
    """The customer's opt-in for the e-mail sent when a reading window opens."""
    preference, _created = ReadingReminderPreference.objects.update_or_create(
        user=user, defaults={"enabled": enabled}
    )
    return preference


def send_reading_reminders(*, today: datetime.date) -> int:
    """E-mail the customers who asked for it that their reading window is open (manual 6.3).

    One e-mail per customer and window, listing their contracts whose window contains
    ``today`` and that have no customer reading in it yet. Safe to run more than once a
    day: a reminder sent is recorded. Returns how many e-mails were sent.
    """
    subscriptions = list(
        Subscription.objects.filter(
            status=Subscription.Status.ACTIVE,
            user__reading_reminder_preference__enabled=True,
            user__is_active=True,
            contract__installation__reading_window_start__lte=today.day,
            contract__installation__reading_window_end__gte=today.day,
        )
        .exclude(user__email="")
        .select_related("user", "contract__installation")
        .order_by("user_id", "custom_name", "pk")
    )
    if not subscriptions:
        return 0
    month_start = today.replace(day=1)
    installation_ids = {s.contract.installation_id for s in subscriptions}  # type: ignore[union-attr]  # filtered on contract
    read_on: dict[int, list[datetime.date]] = {}
    for installation_id, day in Reading.objects.filter(
        installation_id__in=installation_ids, origin=Reading.Origin.CUSTOMER,
        taken_on__gte=month_start, taken_on__lte=today,
    ).values_list("installation_id", "taken_on"):  # fmt: skip
        read_on.setdefault(installation_id, []).append(day)
    by_user: dict[int, list] = {}
    for subscription in subscriptions:
        installation = subscription.contract.installation  # type: ignore[union-attr]  # filtered
        window = window_for(installation, today)
        if any(day in window for day in read_on.get(installation.pk, [])):
            continue
        by_user.setdefault(subscription.user_id, []).append((subscription, window))

    sent = 0
    for items in by_user.values():
        user = items[0][0].user
        with transaction.atomic():
            fresh = []
            for subscription, window in items:
                _reminder, created = ReadingReminder.objects.get_or_create(
                    user=user, installation=subscription.contract.installation,
                    window_start=window.start,
                )  # fmt: skip
                if created:
                    fresh.append(
                        {
                            "name": subscription.custom_name,
                            "contract_number": subscription.contract.contract_number,
                            "window": window,
                            "url": absolute_url(
                                reverse(
                                    "readings:submit", args=[subscription.contract.contract_number]
                                )
                            ),
                        }
                    )
            if fresh:
                send_templated_email(
                    to=user.email,
                    template="readings_reminder",
                    context={
                        "user": user,
                        "contracts": fresh,
                        "preferences_url": absolute_url(reverse("readings:reminders")),
                    },
                    language=user.language,
                )
                sent += 1
    return sent
