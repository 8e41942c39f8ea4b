"""Reading the period a claim refers to ("2024", "Jan-Oct 2023", "to 2030") into dates."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta

from app.quantities.errors import QuantityError

__all__ = ["Period", "parse_period"]


@dataclass(frozen=True, slots=True)
class Period:
    """Inclusive dates a claim refers to; ``None`` is an open end ("to 2030" said when?)."""

    start: date | None
    end: date | None
    text: str


_Span = tuple[date, date]

# Spelled out rather than taken from `calendar.month_name`, which follows the process locale.
_MONTH_NAMES = (
    *("january", "february", "march", "april", "may", "june", "july", "august"),
    *("september", "october", "november", "december"),
)
_MONTHS: dict[str, int] = {name: n for n, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS |= {name[:3]: n for n, name in enumerate(_MONTH_NAMES, 1)} | {"sept": 9}

_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
_ORDINALS |= {"fourth": 4, "4th": 4}
_ORDINAL = "(" + "|".join(_ORDINALS) + ")"

_DEADLINE = re.compile(
    r"(?:to|through|thru|until|till|til|by|up to|no later than|before the end of|before end of)"
    r" (.+)"
)
_BEFORE = re.compile(r"before (.+)")
_SINCE = re.compile(r"(?:since|from|starting|starting in|starting from|as from) (.+)")
_FILLER = re.compile(r"(?:in|during|for|over|on|as of|at) (.+)")
_END_OF = re.compile(r"(?:the )?end(?: of |-| )(.+)|(.+?)[- ]end")


class _OutsideCalendar(Exception):
    """A date before 0001-01-01 or after 9999-12-31, which Python's `date` (and so the API)
    cannot hold; `parse_period` turns it into a QuantityError naming the text."""


def _date(year: int, month: int, day: int) -> date:
    if not MINYEAR <= year <= MAXYEAR:
        raise _OutsideCalendar
    return date(year, month, day)


def _last_day(year: int, month: int) -> date:
    return _date(year, month, calendar.monthrange(year, month)[1])


def _year(year: int) -> _Span:
    return _date(year, 1, 1), _date(year, 12, 31)


def _quarter(year: int, quarter: int) -> _Span:
    return _date(year, 3 * quarter - 2, 1), _last_day(year, 3 * quarter)


def _half(year: int, half: int) -> _Span:
    return _date(year, 6 * half - 5, 1), _last_day(year, 6 * half)


def _month(year: int, month: int) -> _Span:
    return _date(year, month, 1), _last_day(year, month)


def _day(year: int, month: int, day: int) -> _Span:
    return _date(year, month, day), _date(year, month, day)


# (pattern, builder): the builder gets the groups and the year/month hints a range gives its
# first end ("Jan" in "Jan-Oct 2023" borrows 2023). Builders return None when a hint is missing.
_Hints = tuple[int | None, int | None]
_Builder = Callable[[tuple[str, ...], _Hints], _Span | None]

_ABSOLUTE: list[tuple[re.Pattern[str], _Builder]] = [
    (re.compile(r"(\d{4})"), lambda g, h: _year(int(g[0]))),
    (re.compile(r"(\d{4})-?q([1-4])"), lambda g, h: _quarter(int(g[0]), int(g[1]))),
    (re.compile(r"q([1-4])[- ]?(\d{4})"), lambda g, h: _quarter(int(g[1]), int(g[0]))),
    (re.compile(r"([1-4])q[- ]?(\d{4})"), lambda g, h: _quarter(int(g[1]), int(g[0]))),
    (
        re.compile(_ORDINAL + r" quarter(?: of)? (\d{4})"),
        lambda g, h: _quarter(int(g[1]), _ORDINALS[g[0]]),
    ),
    (re.compile(r"(\d{4})-?h([12])"), lambda g, h: _half(int(g[0]), int(g[1]))),
    (re.compile(r"h([12])[- ]?(\d{4})"), lambda g, h: _half(int(g[1]), int(g[0]))),
    (re.compile(r"([12])h[- ]?(\d{4})"), lambda g, h: _half(int(g[1]), int(g[0]))),
    (
        re.compile(r"(first|second|1st|2nd) half(?: of)? (\d{4})"),
        lambda g, h: _half(int(g[1]), _ORDINALS[g[0]]),
    ),
    (re.compile(r"(\d{4})-(\d{2})"), lambda g, h: _month(int(g[0]), int(g[1]))),
    (re.compile(_MONTH + r" (\d{4})"), lambda g, h: _month(int(g[1]), _MONTHS[g[0]])),
    (
        re.compile(r"(\d{4})-(\d{2})-(\d{2})"),
        lambda g, h: _day(int(g[0]), int(g[1]), int(g[2])),
    ),
    # Day.month.year is how Kazakh, Russian and most European sources write a date.
    (
        re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})"),
        lambda g, h: _day(int(g[2]), int(g[1]), int(g[0])),
    ),
    (
        re.compile(r"(\d{1,2}) (?:of )?" + _MONTH + r" (\d{4})"),
        lambda g, h: _day(int(g[2]), _MONTHS[g[1]], int(g[0])),
    ),
    (
        re.compile(_MONTH + r" (\d{1,2}) (\d{4})"),
        lambda g, h: _day(int(g[2]), _MONTHS[g[0]], int(g[1])),
    ),
    # The first end of a range may leave out what its second end says: "Jan" in "Jan-Oct 2023",
    # "Q1" in "Q1-Q3 2024", "25" in "25-31 May 2026".
    (re.compile(_MONTH), lambda g, h: None if h[0] is None else _month(h[0], _MONTHS[g[0]])),
    (re.compile(r"q([1-4])"), lambda g, h: None if h[0] is None else _quarter(h[0], int(g[0]))),
    (re.compile(r"h([12])"), lambda g, h: None if h[0] is None else _half(h[0], int(g[0]))),
    (
        re.compile(r"(\d{1,2}) (?:of )?" + _MONTH),
        lambda g, h: None if h[0] is None else _day(h[0], _MONTHS[g[1]], int(g[0])),
    ),
    (
        re.compile(_MONTH + r" (\d{1,2})"),
        lambda g, h: None if h[0] is None else _day(h[0], _MONTHS[g[0]], int(g[1])),
    ),
    (
        re.compile(r"(\d{1,2})"),
        lambda g, h: None if h[0] is None or h[1] is None else _day(h[0], h[1], int(g[0])),
    ),
]

# "May 25-31, 2026": the month is on the first end and the year on the second.
_DAY_RANGE = re.compile(_MONTH + r" (\d{1,2})-(\d{1,2}) (\d{4})")

_RELATIVE_YEAR = {
    "this year": 0,
    "the year": 0,
    "current year": 0,
    "the current year": 0,
    "this calendar year": 0,
    "last year": -1,
    "the last year": -1,
    "previous year": -1,
    "the previous year": -1,
    "the past year": -1,
    "past year": -1,
    "next year": 1,
    "the next year": 1,
    "the coming year": 1,
    "the following year": 1,
}
_RELATIVE_QUARTER = {
    "this quarter": 0,
    "the quarter": 0,
    "current quarter": 0,
    "the current quarter": 0,
    "last quarter": -1,
    "previous quarter": -1,
    "the previous quarter": -1,
    "the last quarter": -1,
    "next quarter": 1,
    "the next quarter": 1,
}
_RELATIVE_MONTH = {
    "this month": 0,
    "the month": 0,
    "current month": 0,
    "last month": -1,
    "previous month": -1,
    "the previous month": -1,
    "next month": 1,
    "the next month": 1,
}
_YEAR_TO_DATE = {"year to date", "year-to-date", "ytd", "so far this year", "this year so far"}


def _needs_reference(text: str) -> QuantityError:
    return QuantityError(
        "needs_reference_date",
        f"'{text}' is relative to when the claim was made; give the claim's date",
    )


def _relative(s: str, reference: date | None, text: str) -> _Span | None:
    if not (
        s in _RELATIVE_YEAR or s in _RELATIVE_QUARTER or s in _RELATIVE_MONTH or s in _YEAR_TO_DATE
    ):
        return None
    if reference is None:
        raise _needs_reference(text)
    if s in _RELATIVE_YEAR:
        return _year(reference.year + _RELATIVE_YEAR[s])
    if s in _RELATIVE_QUARTER:
        index = reference.year * 4 + (reference.month - 1) // 3 + _RELATIVE_QUARTER[s]
        return _quarter(index // 4, index % 4 + 1)
    if s in _RELATIVE_MONTH:
        index = reference.year * 12 + reference.month - 1 + _RELATIVE_MONTH[s]
        return _month(index // 12, index % 12 + 1)
    return _date(reference.year, 1, 1), reference


def _one(s: str, reference: date | None, text: str, hints: _Hints = (None, None)) -> _Span | None:
    """One period without range words: absolute, relative or "end of" something."""
    s = s.removeprefix("the ")
    for pattern, build in _ABSOLUTE:
        match = pattern.fullmatch(s)
        if match is not None:
            try:
                return build(match.groups(), hints)
            except ValueError:
                raise QuantityError(
                    "unreadable_period", f"'{text}' names a date that does not exist"
                ) from None
    relative = _relative(s, reference, text)
    if relative is not None:
        return relative
    end_of = _END_OF.fullmatch(s)
    if end_of is not None:
        inner = _one(end_of.group(1) or end_of.group(2), reference, text, hints)
        if inner is not None:
            return inner[1], inner[1]
    if s in ("year", "quarter", "month"):  # "year end", "by end of year"
        return _relative(f"this {s}", reference, text)
    return None


def _range(s: str, reference: date | None, text: str) -> _Span | None:
    """Two ends joined by "-", "/", "to", "through" or "and"; the first may borrow the year."""
    day_range = _DAY_RANGE.fullmatch(s)
    if day_range is not None:
        month, first, last, year = day_range.groups()
        first_span = _one(f"{first} {month} {year}", reference, text)
        last_span = _one(f"{last} {month} {year}", reference, text)
        if first_span is not None and last_span is not None:
            return first_span[0], last_span[1]
    between = re.fullmatch(r"(?:between|from) (.+?) (?:and|to|until|through|till) (.+)", s)
    candidates: list[tuple[str, str]] = []
    if between is not None:
        candidates.append((between.group(1), between.group(2)))
    for separator in re.finditer(r"/|-| to | through | until | till | and ", s):
        candidates.append((s[: separator.start()].strip(), s[separator.end() :].strip()))
    for first, second in candidates:
        if not first or not second:
            continue
        second_span = _one(second, reference, text)
        if second_span is None:
            continue
        hints = (second_span[0].year, second_span[0].month)
        first_span = _one(first, reference, text, hints)
        if first_span is not None:
            return first_span[0], second_span[1]
    return None


def _normalise(text: str) -> str:
    s = text.lower().replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    s = s.replace(",", " ")
    s = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b(?! (?:quarter|half))", r"\1", s)
    s = re.sub(r"\s+", " ", s).strip().rstrip(".;:")
    s = re.sub(r" ?- ?", "-", s)
    s = re.sub(r" ?/ ?", "/", s)
    # A written period is often the tail of a sentence: "this year alone", "in 2024".
    return s.removesuffix(" alone")


def _checked(start: date | None, end: date | None, text: str) -> Period:
    if start is not None and end is not None and start > end:
        raise QuantityError("inverted_period", f"'{text}' ends before it starts")
    return Period(start, end, text)


def parse_period(text: str | None, *, reference: date | None = None) -> Period | None:
    """Read the period a claim refers to; ``None`` when none is given.

    ``reference`` is the date the claim was made: "last year" and "this quarter" count from
    it, and "to 2030" starts on it (or is open at the start without it). Ends are inclusive.
    A period with a date outside 0001-01-01..9999-12-31 ("next year" said on 9999-12-31,
    "before 0001") is refused as ``period_outside_calendar``.
    """
    if text is None or not text.strip():
        return None
    try:
        return _parse(text, reference)
    except _OutsideCalendar:
        raise QuantityError(
            "period_outside_calendar",
            f"'{text}' falls outside the calendar ({date.min} to {date.max})",
        ) from None


def _parse(text: str, reference: date | None) -> Period:
    s = _normalise(text)
    filler = _FILLER.fullmatch(s)
    if filler is not None:
        s = filler.group(1)

    deadline = _DEADLINE.fullmatch(s)
    if deadline is not None:
        inner = _one(deadline.group(1), reference, text) or _range(
            deadline.group(1), reference, text
        )
        if inner is not None:
            # "by 2020" said in 2026 looks back: everything up to then, so no start.
            start = reference if reference is not None and reference <= inner[1] else None
            return _checked(start, inner[1], text)
    before = _BEFORE.fullmatch(s)
    if before is not None:
        inner = _one(before.group(1), reference, text)
        if inner is not None:
            if inner[0] == date.min:
                raise _OutsideCalendar
            end = inner[0] - timedelta(days=1)
            start = reference if reference is not None and reference <= end else None
            return _checked(start, end, text)

    span = _one(s, reference, text) or _range(s, reference, text)
    if span is not None:
        return _checked(span[0], span[1], text)

    since = _SINCE.fullmatch(s)
    if since is not None:
        inner = _one(since.group(1), reference, text)
        if inner is not None:
            return _checked(inner[0], reference, text)

    # "1 June", "in May": a date without its year is in the year the claim was made.
    if _one(s, None, text, (2000, None)) is not None:
        if reference is None:
            raise _needs_reference(text)
        span = _one(s, reference, text, (reference.year, None))
        if span is not None:
            return _checked(span[0], span[1], text)
    raise QuantityError("unreadable_period", f"could not read a period in '{text}'")
