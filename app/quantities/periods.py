"""Reading the period a claim refers to ("2024", "Jan-Oct 2023", "9M 2022", "FY2021",
"2019/20 season", "over the last three years", "to 2030") into dates.

Parts of a year, fiscal and marketing years are in `period_parts` and `split_years` (whose
docstrings hold the rule for spans counted from the claim's date, and the fiscal-year and
marketing-year rules). Read against the claim's date:

- "the past N years/months/quarters/weeks/days" are the N whole calendar units before the one
  the claim's date falls in, "the next N ..." the N whole units after it (`period_parts`);
- "last year", "this quarter" and "next month" are calendar periods; "since 2010" runs from
  1 January 2010 to the claim's date, and "by 2030" from the claim's date to the end of 2030;
- a period written without its year ("in the second quarter", "from January to June", "in
  October and November", "the first eight months", "on 13 August", "since June") is the
  latest such period that starts on or before the claim's date: in the claim's year, or the
  year before when it would start after the claim's date ("in December" said in January is
  last December; "in the second quarter" said in May is this year's, though it is not over);
- two periods joined by "and" are one period when the second follows the first ("October and
  November", "2015 and 2016"), and refused when they do not ("January and March").

Refused as `unreadable_period`: an early, middle or late part of a period ("early January",
"mid-2026", "late Q2": no dates), and a count of months without its year ("over 12 months":
the first months of the year, or the last twelve?).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.quantities import period_parts
from app.quantities.calendar_spans import (
    OutsideCalendar,
    Span,
    add_days,
    make_date,
    month_span,
    months_in,
    quarter_span,
    year_span,
)
from app.quantities.errors import QuantityError
from app.quantities.period_patterns import NO_HINTS, Hints, Unreadable, absolute
from app.quantities.period_words import (
    COUNT,
    MONTH,
    RELATIVE_MONTH,
    RELATIVE_QUARTER,
    RELATIVE_YEAR,
    YEAR_TO_DATE,
    count,
)
from app.quantities.split_years import calendar_fiscal_years, refuse_two_readings, split_year_span

__all__ = ["Period", "parse_period"]


@dataclass(frozen=True, slots=True)
class Period:
    """Inclusive dates a claim refers to; ``None`` is an open end ("to 2030" said when?).
    ``from_said``: the start is the day the claim was made, a deadline's ("to 2030", "by the
    end of next year"): the horizon has no start of its own (the conflict key reads it so)."""

    start: date | None
    end: date | None
    text: str
    from_said: bool = field(default=False, compare=False)  # how the start was read, not when


_DEADLINE = re.compile(
    r"(?:to|through|thru|until|till|til|by|up to|no later than|before the end of|before end of)"
    r" (.+)"
)
_BEFORE = re.compile(r"before (.+)")
_SINCE = re.compile(r"(?:since|from|starting|starting in|starting from|as from) (.+)")
# The year to date of a year named: "2024 YTD", "YTD 2024", "in 2024 so far", "so far in 2024".
_NAMED_YEAR_TO_DATE = re.compile(
    r"(\d{4}) (?:ytd|year-to-date|year to date|so far)|(?:ytd|so far(?: in)?|year to date) (\d{4})"
)
# "the 2021-2025 period", "the July-September period of 2023", "the 2021-2027 programming
# period", "the April-December 2023 figures": the period named before the word.
_PERIOD_WORD = re.compile(
    r"(?:the |a )?(?!(?:the|a|same|reporting|review) )(.+?) "
    r"(?:(?:programming|planning|budget|reporting) )?"
    r"(?:period|figures|multiannual financial framework)(?: of (\d{4}))?"
)
# "the six months January to June 2024", "the twelve-month period January 1 through December
# 31, 2024", "the three months from July to September": a count of months, then the months.
_COUNTED_MONTHS = re.compile(rf"(?:the )?{COUNT}[- ]months?(?: period)?(?: from)? (.+)")
# "after 2026": from the day after the period named, with no end.
_AFTER = re.compile(r"after (.+)")
# "in seven years' time", said in 2022: the calendar year seven years on.
_YEARS_TIME = re.compile(rf"(?:in )?{COUNT} years?'? time")
# "the first week of April": weeks of a month counted from its first day.
_WEEK_OF = re.compile(r"(first|second|third|fourth|last) week(?: of)? (.+)")
_WEEKS = {"first": 0, "second": 1, "third": 2, "fourth": 3}
_FILLER = re.compile(
    r"(?:in|during|for|over|on|as of|as on|at|within|throughout|across|under"
    r"|(?:the )?full[- ]year(?: of)?|the whole of|(?:the )?month of"
    r"|(?:the |a )?period(?: of| from)?) (.+)"
)
_END_OF = re.compile(r"(?:the )?(?:end|close)(?: of |-| )(.+)|(.+?)[- ]end")
_START_OF = re.compile(r"(?:the )?(?:start|beginning)(?: of |-| )(.+)")
_RELATIVE_YEAR_TAIL = re.compile(
    r"(?<= )(?:of )?(" + "|".join(sorted(RELATIVE_YEAR, key=len, reverse=True)) + ")$"
)
# "May 25-31, 2026": the month is on the first end and the year on the second.
_DAY_RANGE = re.compile(MONTH + r" (\d{1,2})-(\d{1,2}) (\d{4})")
# "early January", "mid-2026", "late Q2": a part of a period that has no dates.
_VAGUE = re.compile(r"\b(?:early|mid|late)[- ]")
# "over 12 months" without its year: the first months of a year, or the last twelve?
_BARE_MONTHS = re.compile(rf"(?:the )?{COUNT}[- ]months?")


def _needs_reference(text: str) -> QuantityError:
    return QuantityError(
        "needs_reference_date",
        f"'{text}' is relative to when the claim was made; give the claim's date",
    )


def _unreadable(text: str, reason: str) -> QuantityError:
    return QuantityError("unreadable_period", f"'{text}' {reason}")


def _apart(text: str) -> QuantityError:
    return _unreadable(
        text,
        "names two periods that do not follow each other; a claim has one period: write one "
        "of them, or the span from the first to the last if the figure covers it",
    )


def _relative(s: str, reference: date | None, text: str) -> Span | None:
    if not (
        s in RELATIVE_YEAR or s in RELATIVE_QUARTER or s in RELATIVE_MONTH or s in YEAR_TO_DATE
    ):
        return None
    if reference is None:
        raise _needs_reference(text)
    if s in RELATIVE_YEAR:
        return year_span(reference.year + RELATIVE_YEAR[s])
    if s in RELATIVE_QUARTER:
        index = reference.year * 4 + (reference.month - 1) // 3 + RELATIVE_QUARTER[s]
        return quarter_span(index // 4, index % 4 + 1)
    if s in RELATIVE_MONTH:
        index = reference.year * 12 + reference.month - 1 + RELATIVE_MONTH[s]
        return month_span(index // 12, index % 12 + 1)
    return make_date(reference.year, 1, 1), reference


def _one(s: str, reference: date | None, text: str, hints: Hints = NO_HINTS) -> Span | None:
    """One period without range words: absolute, relative, a part of another period, or the
    end or start of one."""
    try:
        span = period_parts.from_claim(s, reference)
    except period_parts.NeedsReference:
        raise _needs_reference(text) from None
    except Unreadable as reason:
        raise _unreadable(text, str(reason)) from None
    if span is not None:
        return span
    # Relative words are looked up as written ("the coming year"), the rest without "the".
    relative = _relative(s, reference, text)
    if relative is not None:
        return relative
    s = s.removeprefix("the ")
    try:
        span = absolute(s, hints) or split_year_span(s, text)
    except Unreadable as reason:
        raise _unreadable(text, str(reason)) from None
    if span is not None:
        return span
    try:
        span = period_parts.part_of(s, lambda inner: _one(inner, reference, text, hints))
    except Unreadable as reason:
        raise _unreadable(text, str(reason)) from None
    if span is not None:
        return span
    relative = _relative(s, reference, text)
    if relative is not None:
        return relative
    end_of = _END_OF.fullmatch(s)
    if end_of is not None:
        inner = _one(end_of.group(1) or end_of.group(2), reference, text, hints)
        if inner is not None:
            return inner[1], inner[1]
    start_of = _START_OF.fullmatch(s)
    if start_of is not None:
        inner = _one(start_of.group(1), reference, text, hints)
        if inner is not None:
            return inner[0], inner[0]
    if s in ("year", "quarter", "month"):  # "year end", "by end of year"
        return _relative(f"this {s}", reference, text)
    years_on = _YEARS_TIME.fullmatch(s)
    if years_on is not None:
        if reference is None:
            raise _needs_reference(text)
        return year_span(reference.year + count(years_on.group(1)))
    week = _WEEK_OF.fullmatch(s)
    if week is not None:
        month = _one(week.group(2), reference, text, hints)
        if month is not None and months_in(month) == 1:
            if week.group(1) == "last":
                return add_days(month[1], -6), month[1]
            first = add_days(month[0], 7 * _WEEKS[week.group(1)])
            return first, add_days(first, 6)
    return None


def _range(s: str, reference: date | None, text: str, hints: Hints) -> Span | None:
    """Two ends joined by "-", "/", "to", "through" or "and"; the first may borrow the year."""
    day_range = _DAY_RANGE.fullmatch(s)
    if day_range is not None:
        month, first, last, year = day_range.groups()
        first_span = _one(f"{first} {month} {year}", reference, text)
        last_span = _one(f"{last} {month} {year}", reference, text)
        if first_span is not None and last_span is not None:
            return first_span[0], last_span[1]
    between = re.fullmatch(r"(?:between|from) (.+?) (?:and|to|until|through|till) (.+)", s)
    # (first end, second end, whether the two are periods of their own: "X and Y")
    candidates: list[tuple[str, str, bool]] = []
    if between is not None:
        candidates.append((between.group(1), between.group(2), False))
    for separator in re.finditer(r"/|-| to | through | until | till | and ", s):
        pair = separator.group() == " and "
        candidates.append((s[: separator.start()].strip(), s[separator.end() :].strip(), pair))
    for first, second, pair in candidates:
        if not first or not second:
            continue
        second_span = _one(second, reference, text, hints)
        if second_span is None and pair:  # "2025 and the 2026-2027 planning period"
            second_span = _range(second.removeprefix("the "), reference, text, hints)
        if second_span is None:
            continue
        first_span = _one(first, reference, text, (second_span[0].year, second_span[0].month))
        if first_span is None:
            continue
        # "October and November" is one period; "January and March" two, and a claim has one.
        if pair and first_span[1].toordinal() + 1 != second_span[0].toordinal():
            raise _apart(text)
        return first_span[0], second_span[1]
    return None


def _normalise(text: str) -> str:
    s = text.lower().replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-")
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace(",", " ")
    s = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b(?! (?:quarter|half))", r"\1", s)
    s = re.sub(r"\s+", " ", s).strip().rstrip(".;:")
    s = re.sub(r" ?- ?", "-", s)
    s = re.sub(r" ?/ ?", "/", s)
    s = re.sub(r"\bhalf[- ]year\b", "half", s).replace("yearend", "year-end")
    # "from January to June in 2020": the year of the whole phrase.
    s = re.sub(r" in (\d{4})$", r" \1", s)
    # A written period is often the tail of a sentence: "this year alone", "in 2024".
    s = s.removesuffix(" alone").removesuffix("'s")  # "next year's"
    while (filler := _FILLER.fullmatch(s)) is not None:
        s = filler.group(1)
    if (named := _PERIOD_WORD.fullmatch(s)) is not None:
        s = named.group(1) + (f" {named.group(2)}" if named.group(2) else "")
        while (filler := _FILLER.fullmatch(s)) is not None:
            s = filler.group(1)
    s = re.sub(r"^(?:the )?year (\d{4})$", r"\1", s)  # "for the year 2021"
    s = re.sub(r"^(?:the )?(?:coming|current|upcoming) (?=\d)", "", s)  # "the coming 2019/20"
    s = re.sub(r"^(\w+)[- ]end$", r"end of \1", s)  # "at September end"
    return s


def _checked(start: date | None, end: date | None, text: str, *, from_said: bool = False) -> Period:
    if start is not None and end is not None and start > end:
        raise QuantityError("inverted_period", f"'{text}' ends before it starts")
    return Period(start, end, text, from_said)


def parse_period(
    text: str | None, *, reference: date | None = None, iso_months: bool = False
) -> Period | None:
    """Read the period a claim refers to; ``None`` when none is given.

    ``reference`` is the date the claim was made: "last year" and "this quarter" count from
    it, and "to 2030" starts on it (or is open at the start without it). Ends are inclusive.
    A period with a date outside 0001-01-01..9999-12-31 ("next year" said on 9999-12-31,
    "before 0001") is refused as ``period_outside_calendar``; one with two readings
    ("2019/20", "FY2021/22", "2008-09") as ``ambiguous_period``. ``iso_months`` reads
    "YYYY-MM" as a year and month without asking ("2008-09" is September 2008), as a data
    file's periods are written.
    """
    if text is None or not text.strip():
        return None
    try:
        return _parse(text, reference, iso_months)
    except OutsideCalendar:
        raise QuantityError(
            "period_outside_calendar",
            f"'{text}' falls outside the calendar ({date.min} to {date.max})",
        ) from None


def _read(s: str, reference: date | None, text: str, hints: Hints) -> Period | None:
    """The period `s` names with range, deadline and "since" words read, or None."""
    deadline = _DEADLINE.fullmatch(s)
    if deadline is not None:
        refuse_two_readings(deadline.group(1), text)  # "by 2034-35": which year's end?
        inner = _one(deadline.group(1), reference, text, hints) or _range(
            deadline.group(1), reference, text, hints
        )
        if inner is not None:
            # "by 2020" said in 2026 looks back: everything up to then, so no start.
            start = reference if reference is not None and reference <= inner[1] else None
            return _checked(start, inner[1], text, from_said=start is not None)
    before = _BEFORE.fullmatch(s)
    if before is not None:
        inner = _one(before.group(1), reference, text, hints)
        if inner is not None:
            if inner[0] == date.min:
                raise OutsideCalendar
            end = inner[0] - timedelta(days=1)
            start = reference if reference is not None and reference <= end else None
            return _checked(start, end, text, from_said=start is not None)
    to_date = _NAMED_YEAR_TO_DATE.fullmatch(s)
    if to_date is not None:
        return _year_to_date(int(to_date.group(1) or to_date.group(2)), reference, text)
    counted = _COUNTED_MONTHS.fullmatch(s)
    if counted is not None:
        months = _range(counted.group(2), reference, text, hints)
        if months is not None and months_in(months) == count(counted.group(1)):
            return _checked(months[0], months[1], text)
    after = _AFTER.fullmatch(s)
    if after is not None:
        inner = _one(after.group(1), reference, text, hints)
        if inner is not None:
            return _checked(add_days(inner[1], 1), None, text)
    span = _one(s, reference, text, hints) or _range(s, reference, text, hints)
    if span is not None:
        return _checked(span[0], span[1], text)
    return _since(s, reference, text, hints)


def _year_to_date(year: int, reference: date | None, text: str) -> Period:
    """The year named, from its first day to the day the claim was made. Said in another year,
    it has no end one could know (up to which month?): refused, never guessed."""
    if reference is None:
        raise _needs_reference(text)
    if reference.year != year:
        raise QuantityError(
            "ambiguous_period",
            f"'{text}' is the year {year} to a date, said on {reference.isoformat()}, outside "
            "that year: write the months it covers ('January-October 2024')",
        )
    return _checked(make_date(year, 1, 1), reference, text)


def _since(s: str, reference: date | None, text: str, hints: Hints) -> Period | None:
    since = _SINCE.fullmatch(s)
    if since is not None:
        inner = _one(since.group(1), reference, text, hints)
        if inner is not None:
            return _checked(inner[0], reference, text)
    return None


def _without_year(s: str, reference: date | None, text: str) -> Period | None:
    """A period written without its year ("in the second quarter", "from January to June",
    "since June"), read in the year of the claim's date; None when `s` is no such period. When
    that period would start after the claim's date, the text may speak of next year's (a
    forecast: "1.69 million barrels per day in the third quarter", said in May) or last year's
    (a report: "in December", said in January): it is refused, never guessed; but "since June",
    said in May, can only be last June. A deadline ("by June") is not read either."""
    if _BARE_MONTHS.fullmatch(s) or _DEADLINE.fullmatch(s) or _BEFORE.fullmatch(s):
        return None

    def in_year(year: int, said_on: date | None) -> Period | None:
        # Read as though the year were written at the end: "second quarter 2015".
        return _read(f"{s} {year:04d}", said_on, text, NO_HINTS)

    if reference is None:
        if in_year(2000, None) is not None:
            raise _needs_reference(text)
        return None
    this_year = in_year(reference.year, None)
    if this_year is None:
        return None
    if this_year.start is not None and this_year.start > reference and s.startswith("since "):
        return in_year(reference.year - 1, reference)  # "since June", said in May: last June
    if this_year.start is not None and this_year.start > reference:
        raise QuantityError(
            "ambiguous_period",
            f"'{text}' has no year and starts after the claim's date ({reference.isoformat()}): "
            "it may be last year's or next year's; write the year",
        )
    return in_year(reference.year, reference)


# "the first nine months of 2024 (January to September)": a period restated in brackets.
_BRACKETS = re.compile(r" ?\(([^()]*)\)")


def _parse(text: str, reference: date | None, iso_months: bool) -> Period:
    """The period of `text`; a part in brackets restates it ("Q2 2024 (April-June)"): the text
    is read without it, or, when that has no period, from it. Two different periods are
    refused."""
    s = _normalise(text)
    inside = [_normalise(part) for part in _BRACKETS.findall(s)]
    if not inside:
        return _parse_one(s, text, reference, iso_months)
    outside = _normalise(_BRACKETS.sub("", s))
    readings: list[Period] = []
    for part in (outside, *inside):
        try:
            readings.append(_parse_one(part, text, reference, iso_months))
        except QuantityError as refused:
            if refused.code not in ("unreadable_period", "needs_reference_date"):
                raise
    if not readings:
        raise QuantityError("unreadable_period", f"could not read a period in '{text}'")
    if any((p.start, p.end) != (readings[0].start, readings[0].end) for p in readings):
        raise _unreadable(text, "names two different periods, in and out of brackets")
    return readings[0]


def _parse_one(s: str, text: str, reference: date | None, iso_months: bool) -> Period:
    s = calendar_fiscal_years(s, text)
    if _VAGUE.search(s) is not None:
        raise _unreadable(
            text,
            "names an early, middle or late part of a period, which has no dates; write the "
            "period the figure covers (the month or quarter, or the days)",
        )
    refuse_two_readings(s, text, iso_months=iso_months)
    period = _read(s, reference, text, NO_HINTS)
    if period is not None:
        return period
    # "January-October this year": the year the claim was made, or the one before or after.
    tail = _RELATIVE_YEAR_TAIL.search(s)
    if tail is not None:
        if reference is None:
            raise _needs_reference(text)
        year = make_date(reference.year + RELATIVE_YEAR[tail.group(1)], 1, 1).year
        period = _read(f"{s[: tail.start(1)]}{year:04d}", reference, text, NO_HINTS)
        if period is not None:
            return period
    period = _without_year(s, reference, text)
    if period is not None:
        return period
    raise QuantityError("unreadable_period", f"could not read a period in '{text}'")
