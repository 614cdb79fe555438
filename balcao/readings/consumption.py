"""Consumption from meter readings: cumulative volume across meters, and estimates.

Pure calculation, no database: the selectors load the rows and build a curve.

The model (DOMAIN.md "Meter readings"): every real reading (and every meter's
installation and removal, whose indexes the fitter records) is a point of the
installation's cumulative volume; a reading counts as the volume at the end of its
day. Between two points the volume grows linearly (real readings where they
exist); after the last point it grows at the average daily consumption between the
last two real points, or at a default rate when there is no history: that part is
an estimate.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

VOLUME_QUANTUM = Decimal("0.001")  # a litre
ONE_DAY = datetime.timedelta(days=1)


def round_volume(value: Decimal) -> Decimal:
    return value.quantize(VOLUME_QUANTUM, rounding=ROUND_HALF_UP)


class MeterRegister:
    """Turns (meter, index) into the installation's cumulative m³ since its first meter.

    A replaced meter contributes what it counted (final − initial index); the next
    one starts from its own initial index, so consumption across a change is right.
    """

    def __init__(self, meters):
        self._offset = {}
        total = 0
        for meter in sorted(meters, key=lambda m: (m.installed_on, m.pk)):
            self._offset[meter.pk] = total - meter.initial_index
            if meter.final_index is not None:
                total += meter.final_index - meter.initial_index
        self.meters = sorted(meters, key=lambda m: (m.installed_on, m.pk))

    def volume(self, meter_id: int, index: int) -> int:
        return self._offset[meter_id] + index

    def points(self) -> list[tuple[datetime.date, int]]:
        """The meters' own points: installation and removal with their indexes."""
        found = []
        for meter in self.meters:
            found.append((meter.installed_on, self.volume(meter.pk, meter.initial_index)))
            if meter.removed_on is not None and meter.final_index is not None:
                found.append((meter.removed_on, self.volume(meter.pk, meter.final_index)))
        return found


@dataclass(frozen=True)
class Point:
    day: datetime.date
    volume: Decimal


class ConsumptionCurve:
    """The cumulative volume of one installation as a function of the day."""

    def __init__(self, points, default_daily: Decimal):
        # One point per day; when a day has several, the last given wins (callers
        # order meter points, then customer, then company readings).
        by_day: dict[datetime.date, Decimal] = {}
        for day, volume in points:
            by_day[day] = Decimal(volume)
        self.points = [Point(day, by_day[day]) for day in sorted(by_day)]
        self.default_daily = Decimal(default_daily)

    @property
    def last(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def has_history(self) -> bool:
        return len(self.points) >= 2

    def daily_rate(self) -> Decimal:
        """Average daily m³ between the last two real points; the default without history."""
        if not self.has_history:
            return self.default_daily
        before, last = self.points[-2], self.points[-1]
        rate = (last.volume - before.volume) / Decimal((last.day - before.day).days)
        return max(rate, Decimal(0))

    def volume_at(self, day: datetime.date) -> tuple[Decimal, bool]:
        """Cumulative m³ at the end of ``day``, and whether that is an estimate."""
        if not self.points:
            return Decimal(0), True
        if day <= self.points[0].day:
            return self.points[0].volume, False
        last = self.points[-1]
        if day >= last.day:
            return last.volume + self.daily_rate() * (day - last.day).days, day > last.day
        low, high = 0, len(self.points) - 1
        while high - low > 1:  # binary search for the points around the day
            middle = (low + high) // 2
            if self.points[middle].day <= day:
                low = middle
            else:
                high = middle
        a, b = self.points[low], self.points[high]
        share = Decimal((day - a.day).days) / Decimal((b.day - a.day).days)
        return a.volume + (b.volume - a.volume) * share, False

    def volume_between(self, start: datetime.date, end: datetime.date) -> tuple[Decimal, bool]:
        """m³ consumed from the start of ``start`` to the end of ``end``; estimated or not."""
        if end < start:
            raise ValueError("The period ends before it starts.")
        before, estimated_before = self.volume_at(start - ONE_DAY)
        after, estimated_after = self.volume_at(end)
        return round_volume(after - before), estimated_before or estimated_after

    def largest_monthly(self) -> Decimal | None:
        """The largest consumption per 30 days between two consecutive real points."""
        best = None
        for a, b in zip(self.points, self.points[1:], strict=False):
            monthly = (b.volume - a.volume) * 30 / Decimal((b.day - a.day).days)
            if best is None or monthly > best:
                best = monthly
        return best
