"""Demo readings: 24 months for every installation, deterministic, in bulk.

Each installation gets a household's consumption (a base rate with a summer peak),
company readings every six months (DOMAIN.md: at least twice a year), customer
readings in some months' windows (now and then one outside it, kept for history),
and an estimate at the end of every month without a real reading.
"""

import calendar
import datetime
import math

from django.utils import timezone

from balcao.contracts.models import Meter
from balcao.readings.models import Reading, ReadingEvent, ReadingReminderPreference

MONTHS = 24


def _months_back(today: datetime.date, count: int) -> list[tuple[int, int]]:
    year, month = today.year, today.month
    found = []
    for _ in range(count):
        found.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(found))


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _season(month: int) -> float:
    """More water in summer, less in winter (±30 %)."""
    return 1 + 0.3 * math.sin((month - 4) / 12 * 2 * math.pi)


def _consumption_model(meter, base: float, today: datetime.date):
    """The meter's true index on any day up to today: the seasonal rate, integrated once."""
    at_month_start = {}
    cursor = meter.installed_on
    total = float(meter.initial_index)
    while cursor <= today:
        month_key = (cursor.year, cursor.month)
        month_end = datetime.date(
            cursor.year, cursor.month, calendar.monthrange(cursor.year, cursor.month)[1]
        )
        at_month_start[month_key] = (cursor, total)
        total += base * _season(cursor.month) * ((month_end - cursor).days + 1)
        cursor = month_end + datetime.timedelta(days=1)

    def true_index(day: datetime.date) -> float:
        if day <= meter.installed_on:
            return float(meter.initial_index)
        start, volume = at_month_start[(day.year, day.month)]
        return volume + base * _season(day.month) * (day - start).days

    return true_index


def seed(*, rng, today: datetime.date, stdout) -> None:
    meters = list(
        Meter.objects.filter(removed_on__isnull=True)
        .select_related("installation")
        .order_by("installation__cil")
    )
    months = _months_back(today, MONTHS)
    readings: list[Reading] = []
    final_status: list[
        tuple[Reading.Status, str]
    ] = []  # (status, reason) per reading, for the events
    receipts: set[str] = set()

    for meter in meters:
        installation = meter.installation
        base = rng.uniform(0.12, 0.55)  # m³ per day: 3.6 to 16.5 m³ a month
        diligence = rng.uniform(0.15, 0.8)  # how often the customer reads the meter
        company_phase = rng.randrange(6)
        true_index = _consumption_model(meter, base, today)

        real_points: list[tuple[datetime.date, int]] = []
        for number, (year, month) in enumerate(months):
            first = datetime.date(year, month, 1)
            last_day = datetime.date(year, month, calendar.monthrange(year, month)[1])
            if last_day < meter.installed_on:
                continue
            events_this_month = []
            if (number - company_phase) % 6 == 0:
                day = first.replace(day=rng.randint(10, 25))
                if meter.installed_on < day <= today:
                    events_this_month.append((day, Reading.Origin.COMPANY))
            if rng.random() < diligence:
                if rng.random() < 0.08:
                    day = first.replace(day=rng.randint(15, 27))
                else:
                    day = first.replace(
                        day=rng.randint(
                            installation.reading_window_start, installation.reading_window_end
                        )
                    )
                if meter.installed_on < day <= today and all(
                    d != day for d, _o in events_this_month
                ):
                    events_this_month.append((day, Reading.Origin.CUSTOMER))
            events_this_month.sort()
            company_days = [d for d, o in events_this_month if o == Reading.Origin.COMPANY]
            for day, origin in events_this_month:
                index = int(true_index(day))
                if real_points and index < real_points[-1][1]:
                    index = real_points[-1][1]
                status, reason = Reading.Status.BILLABLE, ""
                receipt = None
                if origin == Reading.Origin.CUSTOMER:
                    window_start = day.replace(day=installation.reading_window_start)
                    window_end = day.replace(day=installation.reading_window_end)
                    if not window_start <= day <= window_end:
                        status, reason = (
                            Reading.Status.HISTORY,
                            Reading.HistoryReason.OUTSIDE_WINDOW,
                        )
                    elif any(window_start <= d <= window_end for d in company_days):
                        status = Reading.Status.HISTORY
                        reason = Reading.HistoryReason.COMPANY_READING
                    while receipt is None or receipt in receipts:
                        receipt = f"L{day.year}-{rng.randrange(10**7):07d}"
                    receipts.add(receipt)
                if status == Reading.Status.BILLABLE:
                    real_points.append((day, index))
                readings.append(
                    Reading(
                        installation=installation,
                        meter=meter,
                        taken_on=day,
                        index=index,
                        origin=origin,
                        status=status,
                        history_reason=reason,
                        receipt_number=receipt,
                        reader=f"Leitor {rng.randint(1, 12):02d}" if origin == "company" else "",
                    )
                )
                final_status.append((status, reason))
            if not events_this_month and last_day < today:
                # Billed on an estimate (DOMAIN.md): the last two real readings' daily average.
                if len(real_points) >= 2:
                    (d1, i1), (d2, i2) = real_points[-2], real_points[-1]
                    rate = max(i2 - i1, 0) / max((d2 - d1).days, 1)
                    anchor_day, anchor = d2, i2
                else:
                    rate, anchor_day, anchor = 10 / 30, meter.installed_on, meter.initial_index
                    if real_points:
                        anchor_day, anchor = real_points[-1]
                estimate = int(round(anchor + rate * (last_day - anchor_day).days))
                readings.append(
                    Reading(
                        installation=installation,
                        meter=meter,
                        taken_on=last_day,
                        index=max(estimate, anchor),
                        origin=Reading.Origin.ESTIMATE,
                        status=Reading.Status.BILLABLE,
                    )
                )
                final_status.append((Reading.Status.BILLABLE, ""))

    created = Reading.objects.bulk_create(readings, batch_size=2000)
    events = []
    for reading, (status, _reason) in zip(created, final_status, strict=True):
        at = _at(reading.taken_on, 10)
        if reading.origin == Reading.Origin.CUSTOMER:
            # The customer sees the whole life-cycle on the receipt; for the others the
            # final state is enough to show.
            events.append(ReadingEvent(reading=reading, at=at, kind=Reading.Status.RECEIVED))
        events.append(ReadingEvent(reading=reading, at=at, kind=status))
    ReadingEvent.objects.bulk_create(events, batch_size=5000)

    from django.contrib.auth import get_user_model

    ana = get_user_model().objects.filter(username="ana").first()
    if ana is not None:
        ReadingReminderPreference.objects.update_or_create(user=ana, defaults={"enabled": True})
    stdout.write(f"  leituras: {len(created)} em {len(meters)} contadores ({MONTHS} meses)")
