"""The periods written in one piece: years, quarters, halves, months and days in their usual
spellings ("Q2 2019", "2Q19", "H1'21", "9M 2023", "2024-05", "28.05.2026"), as patterns with
the span each names."""

from __future__ import annotations

import re
from collections.abc import Callable

from app.quantities.calendar_spans import (
    Span,
    day_span,
    half_span,
    make_date,
    month_span,
    quarter_span,
    year_span,
)
from app.quantities.period_words import MONTH, MONTHS, ORDINAL, ORDINALS, full_year

__all__ = ["NO_HINTS", "Hints", "Unreadable", "absolute"]


class Unreadable(Exception):
    """A reason to refuse a period ("counts no months"), to follow its text in the message."""


# (pattern, builder): the builder gets the groups and the year/month hints a range gives its
# first end ("Jan" in "Jan-Oct 2023" borrows 2023). Builders return None when a hint is missing.
Hints = tuple[int | None, int | None]
_Builder = Callable[[tuple[str, ...], Hints], Span | None]
NO_HINTS: Hints = (None, None)


def _first_months(months: str, year: int) -> Span:
    count = int(months)
    if count == 0:
        raise Unreadable("counts no months")
    if count > 12:
        raise Unreadable("counts more months than its period has")
    return make_date(year, 1, 1), month_span(year, count)[1]


def _year_range_or_month(year: int, digits: str) -> Span | None:
    """A year and month ("2024-05"), or a range of years when the two digits cannot be a
    month ("2015-20" is 2015 to 2020)."""
    number = int(digits)
    if number <= 12:
        return month_span(year, number)
    last = year // 100 * 100 + number
    if number <= year % 100 or last == year + 1:  # not a later year, or a split year
        return None
    return year_span(year)[0], year_span(last)[1]


_PATTERNS: list[tuple[re.Pattern[str], _Builder]] = [
    (re.compile(r"(\d{4})"), lambda g, h: year_span(int(g[0]))),
    (
        re.compile(r"(\d{3}0)'?s"),
        lambda g, h: (year_span(int(g[0]))[0], year_span(int(g[0]) + 9)[1]),
    ),
    (re.compile(r"(\d{4})[- ]?q([1-4])"), lambda g, h: quarter_span(int(g[0]), int(g[1]))),
    (
        re.compile(r"q([1-4])(?:[- /]| of )?(\d{4})"),
        lambda g, h: quarter_span(int(g[1]), int(g[0])),
    ),
    (re.compile(r"q([1-4]) ?'?(\d{2})"), lambda g, h: quarter_span(full_year(g[1]), int(g[0]))),
    (re.compile(r"([1-4])q[- ]?(\d{4})"), lambda g, h: quarter_span(int(g[1]), int(g[0]))),
    (re.compile(r"([1-4])q'?(\d{2})"), lambda g, h: quarter_span(full_year(g[1]), int(g[0]))),
    (
        re.compile(ORDINAL + r" quarter(?: of)? (\d{4})"),
        lambda g, h: quarter_span(int(g[1]), ORDINALS[g[0]]),
    ),
    (
        re.compile(r"(?:last|final) quarter(?: of)? (\d{4})"),
        lambda g, h: quarter_span(int(g[0]), 4),
    ),
    # "the December quarter of 2023": the calendar quarter that ends in that month.
    (
        re.compile(r"(march|mar|june|jun|september|sept|sep|december|dec) quarter(?: of)? (\d{4})"),
        lambda g, h: quarter_span(int(g[1]), MONTHS[g[0]] // 3),
    ),
    (re.compile(r"(\d{4})-?h([12])"), lambda g, h: half_span(int(g[0]), int(g[1]))),
    (re.compile(r"h([12])[- /]?(\d{4})"), lambda g, h: half_span(int(g[1]), int(g[0]))),
    (re.compile(r"h([12]) ?'?(\d{2})"), lambda g, h: half_span(full_year(g[1]), int(g[0]))),
    (re.compile(r"([12])h[- ]?(\d{4})"), lambda g, h: half_span(int(g[1]), int(g[0]))),
    (re.compile(r"([12])h'?(\d{2})"), lambda g, h: half_span(full_year(g[1]), int(g[0]))),
    (
        re.compile(r"(first|second|1st|2nd) half(?: of)? (\d{4})"),
        lambda g, h: half_span(int(g[1]), ORDINALS[g[0]]),
    ),
    # "9M 2023", "9M23": the first nine months of the year, as company reports write it.
    (re.compile(r"(\d{1,2})m[- ]?(\d{4})"), lambda g, h: _first_months(g[0], int(g[1]))),
    (re.compile(r"(\d{1,2})m'?(\d{2})"), lambda g, h: _first_months(g[0], full_year(g[1]))),
    (re.compile(r"(\d{4})-(\d{2})"), lambda g, h: _year_range_or_month(int(g[0]), g[1])),
    (re.compile(r"(\d{1,2})/(\d{4})"), lambda g, h: month_span(int(g[1]), int(g[0]))),
    (re.compile(MONTH + r" (?:of )?(\d{4})"), lambda g, h: month_span(int(g[1]), MONTHS[g[0]])),
    (
        re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
        lambda g, h: day_span(int(g[0]), int(g[1]), int(g[2])),
    ),
    # Day.month.year is how Kazakh, Russian and most European sources write a date.
    (
        re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"),
        lambda g, h: day_span(int(g[2]), int(g[1]), int(g[0])),
    ),
    (
        re.compile(r"(\d{1,2}) (?:of )?" + MONTH + r" (\d{4})"),
        lambda g, h: day_span(int(g[2]), MONTHS[g[1]], int(g[0])),
    ),
    (
        re.compile(MONTH + r" (\d{1,2}) (\d{4})"),
        lambda g, h: day_span(int(g[2]), MONTHS[g[0]], int(g[1])),
    ),
    # The first end of a range may leave out what its second end says: "Jan" in "Jan-Oct 2023",
    # "Q1" in "Q1-Q3 2024", "25" in "25-31 May 2026".
    (re.compile(MONTH), lambda g, h: None if h[0] is None else month_span(h[0], MONTHS[g[0]])),
    (
        re.compile(r"q([1-4])|([1-4])q"),
        lambda g, h: None if h[0] is None else quarter_span(h[0], int(g[0] or g[1])),
    ),
    (re.compile(r"h([12])"), lambda g, h: None if h[0] is None else half_span(h[0], int(g[0]))),
    (
        re.compile(r"(\d{1,2}) (?:of )?" + MONTH),
        lambda g, h: None if h[0] is None else day_span(h[0], MONTHS[g[1]], int(g[0])),
    ),
    (
        re.compile(MONTH + r" (\d{1,2})"),
        lambda g, h: None if h[0] is None else day_span(h[0], MONTHS[g[0]], int(g[1])),
    ),
    (
        re.compile(r"(\d{1,2})"),
        lambda g, h: None if h[0] is None or h[1] is None else day_span(h[0], h[1], int(g[0])),
    ),
]


def absolute(s: str, hints: Hints = NO_HINTS) -> Span | None:
    """The span `s` names when it is one of the patterns, else None."""
    for pattern, build in _PATTERNS:
        match = pattern.fullmatch(s)
        if match is None:
            continue
        try:
            span = build(match.groups(), hints)
        except ValueError:
            raise Unreadable("names a date that does not exist") from None
        if span is not None:
            return span
    return None
