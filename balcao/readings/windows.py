"""Reading windows: the days of each month when a customer reading counts (manual 6.3)."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class ReadingWindow:
    """The window of one month, both days included."""

    start: datetime.date
    end: datetime.date

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def is_open(self, day: datetime.date) -> bool:
        """Open on ``day`` (the page says so); otherwise it opens on ``start``."""
        return day in self


def window_for(installation, day: datetime.date) -> ReadingWindow:
    """The window of the month of ``day`` for this installation (days 1-28, so always valid)."""
    return ReadingWindow(
        start=day.replace(day=installation.reading_window_start),
        end=day.replace(day=installation.reading_window_end),
    )


def next_window(installation, day: datetime.date) -> ReadingWindow:
    """The window that contains ``day``, or the next one to open (next month, or January
    of the next year after December's window)."""
    window = window_for(installation, day)
    if day <= window.end:
        return window
    first_of_next = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return window_for(installation, first_of_next)
