"""Periods cut from other periods: the first or last months of a year ("the first four
months of 2021", "10 months of 2023"), its halves and quarters ("the first half of the
year"), a reporting period named by its last day ("the six months ended 30 June 2021"), and
spans counted from the claim's date ("over the last three years", "the next 12 months").

A span counted from the claim's date is made of whole calendar units beside the one the
claim's date falls in, because statistics are kept in whole months, quarters and years and a
claim's period is matched against those buckets:

- "the past/last/previous N units" are the N whole units before the claim's unit: said on
  2019-08-15, "the last seven months" is January to July 2019, "the past two years" 2017-2018,
  "the past year" 2018, "the past month" July 2019;
- "the next/coming/following N units" are the N whole units after it, starting with the next
  one: said on 2026-05-28, "the next 12 months" is June 2026 to May 2027, "the next five
  years" 2027-2031;
- a quarter is a calendar quarter, a decade ten calendar years (not a decade of the calendar:
  "the past decade" said in 2026 is 2016-2025), a week Monday to Sunday (ISO 8601), and a day
  the day itself ("the past 30 days" end the day before the claim's date).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from app.quantities.calendar_spans import (
    Span,
    add_days,
    last_day,
    month_index,
    months_from,
    months_in,
    shift_months,
)
from app.quantities.period_patterns import Unreadable
from app.quantities.period_words import COUNT, ORDINAL, ORDINALS, count

__all__ = ["NeedsReference", "from_claim", "part_of"]


class NeedsReference(Exception):
    """A span counted from the claim's date, read without that date."""


# --- spans counted from the claim's date ------------------------------------------------------

_UNIT = r"(year|month|quarter|week|day|decade)"
# The length of each unit in months and the unit its span is aligned on ("the past decade" is
# ten whole years, so it starts on a year).
_MONTHS_A_UNIT = {"month": (1, 1), "quarter": (3, 3), "year": (12, 12), "decade": (120, 12)}
_DAYS_A_UNIT = {"week": 7, "day": 1}
_PAST = re.compile(rf"(?:the )?(?:past|last|previous|preceding) {COUNT} {_UNIT}s?")
# "the past year", "over the last decade": one unit. "last year" alone is the calendar year.
_PAST_ONE = re.compile(
    r"(?:the (?:past|last)|past) (year|month|week|decade)|(?:the )?last (decade)"
)
_AHEAD = re.compile(rf"(?:the )?(?:next|coming|following) {COUNT} {_UNIT}s?")
_AHEAD_ONE = re.compile(r"(?:the )?(?:next|coming) (decade)")


def _span_from(reference: date, units: int, unit: str, back: bool) -> Span:
    """`units` whole units before (`back`) or after the unit `reference` falls in."""
    if units == 0:
        raise Unreadable("counts no time")
    if unit in _DAYS_A_UNIT:
        length = _DAYS_A_UNIT[unit]
        # The claim's own unit: its day, or the Monday that starts its week.
        first = add_days(reference, -reference.weekday()) if unit == "week" else reference
        if back:
            return add_days(first, -units * length), add_days(first, -1)
        start = add_days(first, length)
        return start, add_days(start, units * length - 1)
    length, align = _MONTHS_A_UNIT[unit]
    own = month_index(reference) - month_index(reference) % align
    months = units * length
    return months_from(own - months if back else own + align, months)


def from_claim(s: str, reference: date | None) -> Span | None:
    """The span "the past three years" or "the next 12 months" names, counted from the claim's
    date; None when `s` is no such span."""
    for pattern, one, back in ((_PAST, _PAST_ONE, True), (_AHEAD, _AHEAD_ONE, False)):
        many = pattern.fullmatch(s)
        single = one.fullmatch(s)
        if many is None and single is None:
            continue
        if reference is None:
            raise NeedsReference
        if many is not None:
            return _span_from(reference, count(many.group(1)), many.group(2), back)
        assert single is not None
        unit = next(group for group in single.groups() if group is not None)
        return _span_from(reference, 1, unit, back)
    return None


# --- parts of a period --------------------------------------------------------------------------

_Read = Callable[[str], Span | None]

_MONTHS_OF = re.compile(
    rf"(?:(first|initial|last|final) )?{COUNT}[- ]months?(?: period)?(?: of)? (.+)"
)
_MONTH_OF = re.compile(r"(first|initial|last|final) month(?: of)? (.+)")
_QUARTERS_OF = re.compile(rf"(?:first|initial) {COUNT}[- ]quarters(?: of)? (.+)")
_HALF_OF = re.compile(r"(first|second|1st|2nd) half(?: of)? (.+)")
_QUARTER_OF = re.compile(rf"(?:{ORDINAL}|(last|final)) quarter(?: of)? (.+)")
# "the six months ended 30 June 2021", "the current fiscal year ending in March 2024", "the
# fiscal 2024 third quarter ended December 31, 2023": the period that ends on that day.
_ENDED = re.compile(
    r"(?:(?:current|full) )?(?:\d{4} )?(?:(?:first|second|third|fourth) )?"
    rf"(?:{COUNT}[- ]months?|((?:fiscal |financial )?year|fy|(?:(?:first|second) )?half|quarter))"
    r"(?: period)? (?:ended|ending|to|through)(?: in| on)? (.+)"
)


def _months_of(whole: Span, offset: int, months: int) -> Span:
    """`months` whole months of `whole`, starting `offset` months after its start."""
    length = months_in(whole)
    if months == 0:
        raise Unreadable("counts no months")
    if length is None or offset + months > length or offset < 0:
        raise Unreadable("counts more months than its period has")
    return months_from(month_index(whole[0]) + offset, months)


def _of_year(whole: Span | None, months: int, index: int) -> Span | None:
    """The `index`-th half or quarter (`months` long) of a twelve-month period."""
    if whole is None or months_in(whole) != 12:
        return None
    return _months_of(whole, months * (index - 1), months)


def _ended(months: int, end: date) -> Span:
    """The `months` months that end on `end`: whole months when `end` ends its month."""
    if months == 0:
        raise Unreadable("counts no months")
    if end == last_day(end.year, end.month):
        return months_from(month_index(end) - months + 1, months)[0], end
    return add_days(shift_months(end, -months), 1), end


def part_of(s: str, read: Callable[[str], Span | None]) -> Span | None:
    """The part of a period `s` names, reading the whole period with `read`; None when `s`
    names no part of one."""
    months_of = _MONTHS_OF.fullmatch(s) or _MONTH_OF.fullmatch(s)
    if months_of is not None:
        groups = months_of.groups()
        whole = read(groups[-1])
        if whole is not None:
            months = count(groups[1]) if len(groups) == 3 else 1
            if groups[0] in ("last", "final"):
                length = months_in(whole)
                return _months_of(whole, (length or 0) - months, months)
            return _months_of(whole, 0, months)
    quarters = _QUARTERS_OF.fullmatch(s)
    if quarters is not None:
        whole = read(quarters.group(2))
        if whole is not None:
            return _months_of(whole, 0, 3 * count(quarters.group(1)))
    half = _HALF_OF.fullmatch(s)
    if half is not None:
        span = _of_year(read(half.group(2)), 6, ORDINALS[half.group(1)])
        if span is not None:
            return span
    quarter = _QUARTER_OF.fullmatch(s)
    if quarter is not None:
        index = ORDINALS[quarter.group(1)] if quarter.group(1) else 4
        span = _of_year(read(quarter.group(3)), 3, index)
        if span is not None:
            return span
    ended = _ENDED.fullmatch(s)
    if ended is not None:
        last = read(ended.group(3))
        if last is not None:
            return _ended(_length(ended.group(1), ended.group(2)), last[1])
    return None


def _length(months: str | None, word: str) -> int:
    """The months of a reporting period: counted ("nine months") or named ("half", "year")."""
    if months is not None:
        return count(months)
    if word.endswith("half"):
        return 6
    return 3 if word == "quarter" else 12
