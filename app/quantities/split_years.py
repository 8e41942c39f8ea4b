"""Years that span two calendar years: marketing years, fiscal years, and the split-year
spellings ("2019/20", "2008-09") that are refused because they have two readings.

The rules, written once here (the README copies them):

- A fiscal year is the calendar year: Kazakhstan's budget year is, as are those of the other
  Central Asian states, Russia, China and the EU, so "FY2021", "FY21", "fiscal 2021" and
  "the 2021 financial year" read as 2021, and "Q1 FY2023" as the first quarter of 2023. A
  claim about a fiscal year that is not the calendar year (India's, the UK's and Japan's start
  in April, Australia's and Pakistan's in July, the US federal one in October) must say its
  months: "the year ended 31 March 2022", "April 2021 - March 2022".
- A fiscal year written across two years ("FY2021/22", "FY 2021-22", "2021-22 fiscal year")
  is never the calendar year and starts in a month that differs by country: refused.
- A marketing year ("2019/20 season", "MY 2019/20", "the 2019-20 marketing year",
  "2019/20 crop year") runs July to June, the grain year of Kazakhstan, Russia and the IGC.
- A bare split year ("2019/20", "2019/2020", "2019-20") does not say whether it is a
  marketing year, a fiscal year or two calendar years: refused. "2019-2020" (four digits on
  both sides, a hyphen) is the two calendar years, as before.
- "YYYY-MM" is a year and month, except when the two digits could also end a range of years
  ("2008-09": September 2008, or 2008 to 2009): refused. Two digits above 12 end a range
  ("2015-20" is 2015 to 2020).
"""

from __future__ import annotations

import re

from app.quantities.calendar_spans import Span, last_day, make_date
from app.quantities.errors import QuantityError
from app.quantities.period_words import (
    FISCAL,
    MARKETING_YEAR_START,
    MONTH,
    MONTHS,
    SEASON,
    full_year,
    month_name,
)

__all__ = ["calendar_fiscal_years", "refuse_two_readings", "split_year_span"]

_SPLIT = r"(\d{4})[/-](\d{4}|\d{2})"


def _second_year(first: int, digits: str) -> int | None:
    """The second year of a split year when it follows the first ("2019/20", "1999/00",
    "2019/2020"), else None."""
    following = first + 1
    if len(digits) == 4:
        return following if int(digits) == following else None
    return following if int(digits) == following % 100 else None


def _ambiguous(message: str) -> QuantityError:
    return QuantityError("ambiguous_period", message)


def _split_refusal(text: str, first: int) -> QuantityError:
    short = f"{first}/{(first + 1) % 100:02d}"
    return _ambiguous(
        f"'{text}' spans two years and does not say which year it is: a marketing year runs "
        f"July to June (write '{short} marketing year' or '{short} season'); a fiscal year "
        "starts in a month that differs by country (write its months, e.g. "
        f"'April {first} - March {first + 1}')"
    )


def refuse_two_readings(s: str, text: str, *, iso_months: bool = False) -> None:
    """Refuse a whole period that is a bare split year, or a year-month that could be a range
    (unless `iso_months`: a data file's "2008-09" is September 2008)."""
    bare = re.fullmatch(r"(\d{4})/(\d{4}|\d{2})|(\d{4})-(\d{2})", s)
    if bare is None:
        return
    first = int(bare.group(1) or bare.group(3))
    digits = bare.group(2) or bare.group(4)
    split = _second_year(first, digits) is not None
    month = int(digits)
    if bare.group(4) is not None and 1 <= month <= 12:
        if iso_months or month <= first % 100:  # a year and month: "2024-05"
            return
        last = first // 100 * 100 + month
        also = f", a split year (write '{first}/{digits} season')" if split else ""
        raise _ambiguous(
            f"'{text}' is either {month_name(month)} {first} (year-month){also} or the years "
            f"{first} to {last}; write '{month_name(month)} {first}' or '{first}-{last}'"
        )
    if split:
        raise _split_refusal(text, first)


_SPLIT_FISCAL = re.compile(
    rf"\b{FISCAL}[ -]?'?(\d{{4}}|\d{{2}})[/-](\d{{4}}|\d{{2}})\b|\b{_SPLIT} {FISCAL}\b"
)
_FISCAL_BEFORE = re.compile(rf"\b{FISCAL}[ -]?'?(\d{{4}}|\d{{2}})\b")
_FISCAL_AFTER = re.compile(r"\b(\d{4}) (?:fiscal year|financial year|fiscal)\b")


def calendar_fiscal_years(s: str, text: str) -> str:
    """`s` with each fiscal year written as its calendar year; a split fiscal year refused."""
    for split in _SPLIT_FISCAL.finditer(s):
        first_digits = split.group(1) or split.group(3)
        second_digits = split.group(2) or split.group(4)
        first = full_year(first_digits)
        if _second_year(first, second_digits) is not None:
            raise _ambiguous(
                f"'{text}' is a fiscal year across two calendar years, and the month it starts "
                "in differs by country (April in India, the UK and Japan; July in Australia "
                f"and Pakistan); write its months, e.g. 'April {first} - March {first + 1}' or "
                f"'the year ended 31 March {first + 1}'"
            )
    s = _FISCAL_BEFORE.sub(lambda m: str(full_year(m.group(1))), s)
    return _FISCAL_AFTER.sub(lambda m: m.group(1), s)


_MARKETING_YEAR = re.compile(rf"{_SPLIT} {SEASON}|{SEASON}[ -]?{_SPLIT}")
_SPLIT_MONTHS = re.compile(rf"{MONTH}-{MONTH} (?:of )?{_SPLIT}(?: ({SEASON}))?")


def _marketing_year(first: int) -> Span:
    return make_date(first, MARKETING_YEAR_START, 1), last_day(first + 1, MARKETING_YEAR_START - 1)


def split_year_span(s: str, text: str) -> Span | None:
    """A marketing year ("2019/20 season"), or months of a split year ("April-March 2021-22",
    "July-May of 2020/21 MY"); None for anything else."""
    season = _MARKETING_YEAR.fullmatch(s)
    if season is not None:
        first = int(season.group(1) or season.group(3))
        if _second_year(first, season.group(2) or season.group(4)) is not None:
            return _marketing_year(first)
        return None
    months = _SPLIT_MONTHS.fullmatch(s)
    if months is None:
        return None
    first_month, last_month = MONTHS[months.group(1)], MONTHS[months.group(2)]
    first = int(months.group(3))
    if _second_year(first, months.group(4)) is None:
        return None
    if months.group(5) is not None:  # a marketing year: July to December fall in its first year
        start_year = first if first_month >= MARKETING_YEAR_START else first + 1
        end_year = first if last_month >= MARKETING_YEAR_START else first + 1
    elif first_month > last_month:  # the months cross the new year: the only reading
        start_year, end_year = first, first + 1
    else:
        raise _ambiguous(
            f"'{text}' names months of a year that spans two calendar years without saying in "
            f"which of the two they fall; write the years, e.g. '{month_name(first_month)} "
            f"{first} - {month_name(last_month)} {first}' or '{month_name(first_month)} "
            f"{first + 1} - {month_name(last_month)} {first + 1}'"
        )
    return make_date(start_year, first_month, 1), last_day(end_year, last_month)
