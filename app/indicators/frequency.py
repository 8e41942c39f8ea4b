"""How often an indicator is published, and the one table of what each frequency means.

Roll-ups (`transforms.py`) read a bucket's end and how many periods make a year from it; the
stale check (`checks.py`) reads how long a period may last and how late a value may be.
"""

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"
    IRREGULAR = "irregular"


def _day_end(day: date) -> date:
    return day


def _week_end(day: date) -> date:
    """Sunday; the calendar ends on a Friday (9999-12-31), so its last week is cut short there
    and its point dated that day rather than on a Sunday that cannot be written."""
    return day + timedelta(days=min(6 - day.weekday(), (date.max - day).days))


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _quarter_end(day: date) -> date:
    month = (day.month - 1) // 3 * 3 + 3
    return date(day.year, month, calendar.monthrange(day.year, month)[1])


def _year_end(day: date) -> date:
    return date(day.year, 12, 31)


@dataclass(frozen=True, slots=True)
class Cadence:
    """What a regular frequency means for dates."""

    bucket_end: Callable[[date], date]  # the last day of the period that holds a day
    per_year: int  # periods in a year: the lag of a change from a year ago
    period_days: int  # the longest period, in days
    late_periods: int = 2  # stale once the newest value ends this many periods ago

    @property
    def stale_after_days(self) -> int:
        return self.late_periods * self.period_days


CADENCES: dict[Frequency, Cadence] = {
    Frequency.DAILY: Cadence(_day_end, per_year=365, period_days=1),
    Frequency.WEEKLY: Cadence(_week_end, per_year=52, period_days=7),
    Frequency.MONTHLY: Cadence(_month_end, per_year=12, period_days=31),
    Frequency.QUARTERLY: Cadence(_quarter_end, per_year=4, period_days=92),
    Frequency.ANNUAL: Cadence(_year_end, per_year=1, period_days=366),
}
"""The regular frequencies; an irregular series has no cadence (no roll-up lag, never stale)."""


def cadence(frequency: str) -> Cadence | None:
    """The cadence of a frequency, None for an irregular one."""
    return CADENCES.get(Frequency(frequency))
