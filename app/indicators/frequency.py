"""How often an indicator is published, and the one table of what each frequency means.

Roll-ups (`transforms.py`) read a bucket's start and end and whether it is covered; transforms
read the calendar lags (the previous period, the same period a year earlier); the stale check
(`checks.py`) reads how long a period may last and how late a value may be.
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


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def _year_start(day: date) -> date:
    return date(day.year, 1, 1)


def months_back(day: date, months: int) -> date | None:
    """The same day `months` earlier, end-aligned: a month's last day goes to the last day of
    the earlier month (2024-02-29 -> 2023-02-28, 2025-02-28 -> 2024-02-29, 06-30 -> 03-31),
    another day is clamped to that month's length (2025-03-30 -> 2025-02-28). None before
    year 1."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    if year < 1:
        return None
    last = calendar.monthrange(year, month + 1)[1]
    at_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month + 1, last if at_end else min(day.day, last))


def _days_back(days: int) -> Callable[[date], date | None]:
    def back(day: date) -> date | None:
        return day - timedelta(days=days) if day.toordinal() > days else None

    return back


def _months_back(months: int) -> Callable[[date], date | None]:
    return lambda day: months_back(day, months)


def _same_date_year_before(day: date) -> date | None:
    """A daily series compares a day with the same date a year before; 29 February with the
    28th (the last February day of that year), and 28 February with the 28th, not the 29th."""
    if day.year == 1:
        return None
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)


@dataclass(frozen=True, slots=True)
class Cadence:
    """What a regular frequency means for dates."""

    bucket_end: Callable[[date], date]  # the last day of the period that holds a day
    bucket_start: Callable[[date], date]  # its first day
    previous: Callable[[date], date | None]  # a period's end -> the previous period's end
    year_before: Callable[[date], date | None]  # a period's end -> the end a year earlier
    per_year: int  # periods in a year
    period_days: int  # the longest period, in days
    late_periods: int = 2  # stale once the newest value ends this many periods ago
    # A daily series may be one of working days: a Saturday or Sunday without a value is not a
    # gap (the bucket is still covered, and Monday's previous day is Friday).
    weekends_optional: bool = False

    @property
    def stale_after_days(self) -> int:
        return self.late_periods * self.period_days


CADENCES: dict[Frequency, Cadence] = {
    Frequency.DAILY: Cadence(
        _day_end,
        _day_end,
        _days_back(1),
        _same_date_year_before,
        per_year=365,
        period_days=1,
        weekends_optional=True,
    ),
    Frequency.WEEKLY: Cadence(
        _week_end, _week_start, _days_back(7), _days_back(364), per_year=52, period_days=7
    ),
    Frequency.MONTHLY: Cadence(
        _month_end, _month_start, _months_back(1), _months_back(12), per_year=12, period_days=31
    ),
    Frequency.QUARTERLY: Cadence(
        _quarter_end, _quarter_start, _months_back(3), _months_back(12), per_year=4, period_days=92
    ),
    Frequency.ANNUAL: Cadence(
        _year_end, _year_start, _months_back(12), _months_back(12), per_year=1, period_days=366
    ),
}
"""The regular frequencies; an irregular series has no cadence (no roll-up lag, never stale).

A weekly period is 7 days and its year-earlier one 52 weeks (364 days) before, so it ends on the
same weekday; monthly, quarterly and annual periods move by months, end-aligned."""


def cadence(frequency: str) -> Cadence | None:
    """The cadence of a frequency, None for an irregular one."""
    return CADENCES.get(Frequency(frequency))


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5
