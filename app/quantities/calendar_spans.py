"""Date arithmetic for periods: spans of the calendar, months counted forward and back, all
kept inside the dates Python (and so the API) can hold."""

from __future__ import annotations

import calendar
from datetime import MAXYEAR, MINYEAR, date

__all__ = [
    "OutsideCalendar",
    "Span",
    "add_days",
    "day_span",
    "half_span",
    "last_day",
    "make_date",
    "month_index",
    "month_span",
    "months_from",
    "months_in",
    "quarter_span",
    "shift_months",
    "year_span",
]

Span = tuple[date, date]


class OutsideCalendar(Exception):
    """A date before 0001-01-01 or after 9999-12-31, which Python's `date` (and so the API)
    cannot hold; `parse_period` turns it into a QuantityError naming the text."""


def make_date(year: int, month: int, day: int) -> date:
    if not MINYEAR <= year <= MAXYEAR:
        raise OutsideCalendar
    return date(year, month, day)


def last_day(year: int, month: int) -> date:
    return make_date(year, month, calendar.monthrange(year, month)[1])


def year_span(year: int) -> Span:
    return make_date(year, 1, 1), make_date(year, 12, 31)


def quarter_span(year: int, quarter: int) -> Span:
    return make_date(year, 3 * quarter - 2, 1), last_day(year, 3 * quarter)


def half_span(year: int, half: int) -> Span:
    return make_date(year, 6 * half - 5, 1), last_day(year, 6 * half)


def month_span(year: int, month: int) -> Span:
    return make_date(year, month, 1), last_day(year, month)


def day_span(year: int, month: int, day: int) -> Span:
    return make_date(year, month, day), make_date(year, month, day)


def month_index(day: date) -> int:
    """Months since the start of year 0: consecutive months have consecutive indexes."""
    return day.year * 12 + day.month - 1


def months_from(index: int, count: int) -> Span:
    """`count` whole months starting with the month of index `index`."""
    first, last = divmod(index, 12), divmod(index + count - 1, 12)
    return make_date(first[0], first[1] + 1, 1), last_day(last[0], last[1] + 1)


def months_in(span: Span) -> int | None:
    """How many whole months `span` covers, or None when it does not start on the first of a
    month and end on the last day of one."""
    start, end = span
    if start.day != 1 or end != last_day(end.year, end.month):
        return None
    return month_index(end) - month_index(start) + 1


def add_days(day: date, days: int) -> date:
    ordinal = day.toordinal() + days
    if not date.min.toordinal() <= ordinal <= date.max.toordinal():
        raise OutsideCalendar
    return date.fromordinal(ordinal)


def shift_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), on the month's last day when the
    month is shorter: 31 May less three months is 28 February."""
    year, month = divmod(month_index(day) + months, 12)
    month += 1
    if not MINYEAR <= year <= MAXYEAR:
        raise OutsideCalendar
    return make_date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
