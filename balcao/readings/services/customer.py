"""The customer's reading: "Comunicar leitura" (manual 6.3 points 1-2 and its note)."""

import uuid
from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from balcao.accounts.models import User
from balcao.contracts.models import Contract, Installation
from balcao.core.links import absolute_url
from balcao.core.mail import send_templated_email
from balcao.readings.models import Reading
from balcao.readings.selectors import assess_reading, load_installation_readings
from balcao.readings.services.lifecycle import create_received, move_reading
from balcao.readings.windows import window_for


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
        reading = create_received(
            installation=installation,
            meter=data.current_meter,
            taken_on=today,
            index=index,
            origin=Reading.Origin.CUSTOMER,
            submitted_by=user,
            idempotency_key=submission_key,
        )
    except IntegrityError:
        # The same form, sent twice at once: the first one stored it.
        existing = Reading.objects.get(idempotency_key=submission_key)
        return SubmissionOutcome(reading=existing, duplicate=True)

    window = window_for(installation, today)
    in_window = Reading.objects.filter(
        installation=installation, taken_on__gte=window.start, taken_on__lte=window.end
    )
    if today not in window:
        move_reading(reading, Reading.Status.HISTORY, reason=Reading.HistoryReason.OUTSIDE_WINDOW)
    elif in_window.filter(origin=Reading.Origin.COMPANY).exists():
        move_reading(reading, Reading.Status.HISTORY, reason=Reading.HistoryReason.COMPANY_READING)
    else:
        earlier = in_window.filter(
            origin=Reading.Origin.CUSTOMER, status=Reading.Status.BILLABLE
        ).exclude(pk=reading.pk)
        for old in earlier:
            move_reading(
                old,
                Reading.Status.HISTORY,
                reason=Reading.HistoryReason.REPLACED,
                note=reading.receipt_number or "",
            )
        move_reading(reading, Reading.Status.BILLABLE)

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
