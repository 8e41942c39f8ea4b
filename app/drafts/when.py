"""Where a sentence says when: its period phrases ("in 2023", "to 2030", "this year", "the
first 10 months of 2023") and its dates ("May 28, 2026"), each read by the quantities period
reader (`parse_period`); this module only finds the words, the reader decides what they mean.

A phrase the reader refuses is no period. A period written as the base of a change ("6% over
the previous year") is found but marked `base`: it is what the change is measured from, not
the figure's period.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.quantities import Period, QuantityError, parse_period
from app.quantities.period_words import (
    COUNT,
    MONTHS,
    RELATIVE_MONTH,
    RELATIVE_QUARTER,
    RELATIVE_YEAR,
    YEAR_TO_DATE,
)

__all__ = ["Dated", "Found", "dateline", "find_dates", "find_periods"]


@dataclass(frozen=True, slots=True)
class Found:
    """A period phrase of a sentence: offsets in the sentence, the words, their reading."""

    start: int
    end: int
    text: str
    period: Period
    base: bool = False  # "over the previous year": the base of a change, not a period


@dataclass(frozen=True, slots=True)
class Dated:
    """A date written in a sentence ("May 28, 2026", "1 June"): offsets in the sentence."""

    start: int
    end: int
    text: str


def _alternation(words: Iterable[str]) -> str:
    return "(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")"


_M = _alternation(MONTHS) + r"\.?"
_Y = r"(?:1[89]|2[01])\d\d"
_N = COUNT.replace("(", "(?:", 1)
_RELATIVE = _alternation(
    {*RELATIVE_YEAR, *RELATIVE_QUARTER, *RELATIVE_MONTH, *YEAR_TO_DATE} - {"the year", "the month"}
)
_YEAR_OF = rf"(?: of)?(?: {_Y}| the year| this year| last year| the previous year)?"
_PART = r"(?:first|second|third|fourth|1st|2nd|3rd|4th|last|final)"
_UNITS = r"(?:years?|months?|quarters?|weeks?|days?|decades?)"

_CORES = (
    rf"(?:between|from) {_Y} (?:and|to|through) {_Y}",
    rf"(?:between|from) {_M} (?:and|to|through) {_M}(?:,? {_Y}| this year| last year)?",
    rf"{_M}\s*[-\u2013\u2014]\s*{_M}(?:,? {_Y}| this year| last year)?",
    rf"(?:the )?{_PART} (?:{_N}[- ])?(?:months?|quarters?|half)(?: period)?{_YEAR_OF}",
    rf"(?:the )?(?:past|last|previous|preceding|next|coming|following) {_N} {_UNITS}",
    r"(?:the )?(?:past|last) (?:year|month|week|decade)",
    rf"(?:q[1-4]|h[12]|[1-4]q|9m)\s*[-\u2013]?\s*{_Y}",
    rf"{_Y}[- ]?(?:q[1-4]|h[12])",
    rf"(?:fy|fiscal year|financial year|fiscal) ?{_Y}(?:/\d\d)?",
    rf"(?:\d{{1,2}} )?{_M}(?: \d{{1,2}})?,? {_Y}",
    rf"{_Y}(?:\s*[-\u2013/]\s*(?:{_Y}|\d\d)(?!\d))?|\d{{3}}0'?s",
    r"(?:the )?end of (?:the |this |next |last )?(?:year|quarter|month)|year[- ]end",
    _RELATIVE,
)
# Words before a period that belong to the phrase the reader reads.
_LEAD = (
    r"(?:(?:by|before|until|till|to|through)(?: the)? end of |(?:in|during|for|over|by|to|until|"
    r"till|through|since|from|as of|at|before|starting in|starting from) )?"
)
_PERIOD = re.compile(
    rf"(?<![\w$€£¥₸₽-]){_LEAD}(?:{'|'.join(_CORES)})(?![\w%-]|\.\d|,\d)", re.IGNORECASE
)
# A month alone, after a preposition only ("May" is also a verb): "in January", "since June".
_MONTH_ALONE = re.compile(
    rf"(?<!\w)(?:in|since|from|by|until|during|through|to) (?:{_M}(?:\s*[-\u2013]\s*{_M})?)"
    r"(?![\w-])",
)
# The base of a change: "over the previous year", "compared with 2022", "a year earlier".
_BASE = re.compile(
    r"(?:over|compared (?:with|to)|against|versus|vs\.?|than|from) (?:the |a )?"
    r"(?:same (?:period|time|month|quarter) (?:of |in )?)?$",
    re.IGNORECASE,
)
_DATE = re.compile(
    rf"(?<!\w)(?:{_M} \d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-\u2013]\s*\d{{1,2}})?(?:,? {_Y})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_M}(?: {_Y})?|{_Y}-\d\d-\d\d"
    rf"|\d{{1,2}}\.\d{{1,2}}\.{_Y}|\d{{1,2}}/\d{{1,2}}/{_Y})(?![\w-])",
    re.IGNORECASE,
)
_DATELINE = re.compile(rf"\s*(?:on|as of) ({_M} \d{{1,2}},? {_Y}|\d{{1,2}} {_M},? {_Y})\s*,", re.I)
_MONTH_WORD = re.compile(_M, re.IGNORECASE)


def _read(text: str, reference: date) -> Period | None:
    try:
        return parse_period(text, reference=reference)
    except QuantityError:
        return None


def find_periods(sentence: str, reference: date) -> list[Found]:
    """Every period phrase of the sentence the period reader reads, longest first where two
    overlap, in the order written."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    matches = [*_PERIOD.finditer(sentence), *_MONTH_ALONE.finditer(sentence)]
    for match in sorted(matches, key=lambda m: (-(m.end() - m.start()), m.start())):
        start, end = match.span()
        if any(start < b and a < end for a, b in taken):
            continue
        text = match.group()
        period = _read(text, reference)
        if period is None:
            # "to 2030" reads, "stretching to 2030" is found as "to 2030"; a word before a
            # year that the reader refuses leaves the year alone ("at 2023" is no period).
            core = re.sub(r"^\w+(?: the end of)? ", "", text) if " " in text else text
            if core != text and _read(core, reference) is not None:
                start, text = end - len(core), core
                period = _read(core, reference)
        if period is None:
            continue
        base = _BASE.search(sentence[:start]) is not None or text.lower().startswith("from ")
        base = base and not re.match(r"from .+ (?:to|through|and) ", text, re.IGNORECASE)
        taken.append((start, end))
        found.append(Found(start, end, text, period, base))
    return sorted(found, key=lambda f: f.start)


def find_dates(sentence: str) -> list[Dated]:
    """The dates written in the sentence: a day of a month ("May 28", "1 June", "28.05.2026")."""
    return [Dated(m.start(), m.end(), m.group()) for m in _DATE.finditer(sentence)]


def dateline(sentence: str) -> tuple[date, int] | None:
    """The date a sentence opens with ("On May 28, 2026, ..."): the day its news was said,
    and where the sentence's own words start; None when it opens with no full date."""
    match = _DATELINE.match(sentence)
    if match is None:
        return None
    period = _read(match.group(1), date.today())
    if period is None or period.start is None or period.start != period.end:
        return None
    return period.start, match.end()


def is_month(word: str) -> bool:
    return _MONTH_WORD.fullmatch(word) is not None
