"""The words periods are written in: months, ordinals, counts, relative years, and the
qualifiers of fiscal and marketing years."""

from __future__ import annotations

from app.quantities.number_words import SMALL_NUMBERS, TENS

__all__ = [
    "COUNT",
    "FISCAL",
    "MARKETING_YEAR_START",
    "MONTH",
    "MONTHS",
    "ORDINAL",
    "ORDINALS",
    "RELATIVE_MONTH",
    "RELATIVE_QUARTER",
    "RELATIVE_YEAR",
    "SEASON",
    "YEAR_TO_DATE",
    "count",
    "full_year",
    "month_name",
]

# Spelled out rather than taken from `calendar.month_name`, which follows the process locale.
_MONTH_NAMES = (
    *("january", "february", "march", "april", "may", "june", "july", "august"),
    *("september", "october", "november", "december"),
)
MONTHS: dict[str, int] = {name: n for n, name in enumerate(_MONTH_NAMES, 1)}
MONTHS |= {name[:3]: n for n, name in enumerate(_MONTH_NAMES, 1)} | {"sept": 9}
MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"


def month_name(month: int) -> str:
    return _MONTH_NAMES[month - 1].capitalize()


ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
ORDINALS |= {"fourth": 4, "4th": 4, "initial": 1}
# Roman numerals, as Kazakhstan's statistics write quarters and halves in English ("the II
# quarter of 2025").
ORDINALS |= {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ORDINAL = "(" + "|".join(ORDINALS) + ")"

# A count of months, years or quarters: digits or a word ("ten", "twenty").
_COUNT_WORDS = {word: n for word, n in SMALL_NUMBERS.items() if n > 0} | TENS
COUNT = r"(\d{1,3}|" + "|".join(sorted(_COUNT_WORDS, key=len, reverse=True)) + ")"


def count(word: str) -> int:
    return int(word) if word.isdigit() else _COUNT_WORDS[word]


def full_year(digits: str) -> int:
    """A year written with two digits, read as Python's `%y` reads it (the POSIX rule):
    00-68 are 2000-2068 and 69-99 are 1969-1999. Four digits are the year itself."""
    year = int(digits)
    if len(digits) == 4:
        return year
    return year + (2000 if year <= 68 else 1900)


RELATIVE_YEAR = {
    "this year": 0,
    "the year": 0,
    "current year": 0,
    "the current year": 0,
    "this calendar year": 0,
    "the calendar year": 0,
    "last year": -1,
    "previous year": -1,
    "the previous year": -1,
    "next year": 1,
    "the next year": 1,
    "the coming year": 1,
    "the following year": 1,
}
RELATIVE_QUARTER = {
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
RELATIVE_MONTH = {
    "this month": 0,
    "the month": 0,
    "current month": 0,
    "last month": -1,
    "previous month": -1,
    "the previous month": -1,
    "next month": 1,
    "the next month": 1,
}
YEAR_TO_DATE = {"year to date", "year-to-date", "ytd", "so far this year", "this year so far"}

# A marketing year of grain runs July to June: the year of Kazakhstan's and Russia's grain
# statistics, of the International Grains Council's wheat year and of USDA's reports on
# Kazakhstan. The words that name one; a bare split year ("2019/20") names none.
MARKETING_YEAR_START = 7
SEASON = (
    r"(?:(?:grain |wheat |marketing |agricultural )?(?:season|marketing year|crop year)"
    r"|agricultural year|my)"
)

# The words that make a year a fiscal year ("FY2021", "fiscal 2021", "2021 financial year").
FISCAL = r"(?:fy|fiscal year|fiscal|financial year)"
