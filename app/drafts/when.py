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
    # "currently", "today": the day the claim is made, for a figure the sentence gives no
    # other period; "the same period (last year)": the period named before, (a year back).
    now: bool = False
    same: int | None = None  # years back from the period named before
    same_year: int | None = None  # ... or the same months of this year ("of 2024")


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

_OF_YEAR = rf"(?:,? (?:of )?{_Y}|,? (?:of )?(?:this|last|the current|the previous) year)?"
_CORES = (
    rf"(?:between|from) {_Y} (?:and|to|through) {_Y}",
    rf"(?:between |from )?{_M} (?:and|to|through|till|until) {_M}{_OF_YEAR}",
    rf"{_M}\s*[-\u2013\u2014]\s*{_M}{_OF_YEAR}",
    rf"(?:the )?{_PART}[- ](?:{_N}[- ])?(?:months?|quarters?|half(?:[- ]year)?)(?: period)?"
    rf"{_YEAR_OF}",
    rf"(?:the )?(?:beginning|start) of (?:the |this )?(?:year|{_Y})",
    rf"(?:to|by|until|till|through) the end of {_M}(?:,? {_Y})?",
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
_MC = _alternation({m.capitalize() for m in MONTHS}) + r"\.?"
_MONTH_NAMED = re.compile(rf"(?<![\w-]){_MC}(?![\w-])")
_MONTH_ALONE = re.compile(
    rf"(?<!\w)(?i:in|since|from|by|until|during|through|to) (?:{_MC}(?:\s*[-\u2013]\s*{_MC})?)"
    r"(?![\w-])",
)
# The day the claim is made: a stock or a count "currently", "today".
_NOW = re.compile(
    r"(?<![\w-])(?:currently|today|at present|at the moment|as of now|as of today|now)(?![\w-])",
    re.IGNORECASE,
)
# The period the paragraph named before, the same months a year back, or of a named year.
_SAME = re.compile(
    rf"(?<![\w-])(?:(?:in|during|for|over|of) )?(?:the )?(?:same|corresponding|comparable|"
    rf"mentioned|reporting|reported|said|this|that|specified|given) (?:period|month|quarter)"
    rf"(?: of time)?"
    rf"(?: (?:of |in )?(?P<year>{_Y})| (?:of )?(?P<back>last year|the previous year|"
    rf"the last year|a year earlier|a year ago|the year before))?(?![\w-])"
    rf"|(?<![\w-])(?P<earlier>a year (?:earlier|before|ago))(?![\w-])"
    # "exports for the period amounted to ...": the period named before.
    rf"|(?<![\w-])(?:for|in|during|over) the period(?! (?:of|from|between|to|since|until)\b)"
    rf"(?![\w-])"
    # "last year's loading for the same period": the period named before, a year back.
    rf"|(?<![\w-])(?P<possessive>last year['\u2019]s (?:[a-z-]+ ){{1,3}}(?:for|in|during|over) "
    rf"the same period)(?![\w-])",
    re.IGNORECASE,
)
# The base of a change: "over the previous year", "compared with 2022", "a year earlier".
_BASE = re.compile(
    r"(?:over|(?:compared?|relative|as against|in comparison) (?:with|to)|against|versus|vs\.?"
    r"|than|from|compared|relative) (?:the |a )?"
    r"(?:same (?:period|time|month|quarter) (?:of |in )?)?$",
    re.IGNORECASE,
)
# A period phrase that opens with the word of a base: "compared [to 2022]", "[over 2018]".
_BASE_OPENING = re.compile(
    rf"(?:(?:to|with) .*|over (?:{_Y}|the previous year|last year|a year earlier))$", re.I
)
_COMPARED = re.compile(
    r"(?:than|compared(?: with| to)?|against|versus|vs\.?|relative to|as against)\s*$", re.I
)
_BASE_BEFORE = re.compile(r"(?:compare[ds]?|relative|comparison|as against)\s*$", re.IGNORECASE)
_DATE = re.compile(
    rf"(?<!\w)(?:{_M} \d{{1,2}}(?:st|nd|rd|th)?(?:\s*[-\u2013]\s*\d{{1,2}})?(?:,? {_Y})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_M}(?: {_Y})?|{_Y}-\d\d-\d\d"
    rf"|\d{{1,2}}\.\d{{1,2}}\.{_Y}|\d{{1,2}}/\d{{1,2}}/{_Y})(?![\w-])",
    re.IGNORECASE,
)
_DATELINE = re.compile(rf"\s*(?:on|as of) ({_M} \d{{1,2}},? {_Y}|\d{{1,2}} {_M},? {_Y})\s*,", re.I)
_MONTH_WORD = re.compile(_M, re.IGNORECASE)
# A year "so far": from its start to the day it is said, or to the end of the month named with it.
_SO_FAR = re.compile(
    rf"(?<![\w-])(?:(?:(?:in|during|for|over) )?(?P<year>{_Y}),? (?:so far|to date)"
    rf"|so far (?:in|during|of) (?P<year2>{_Y}))"
    rf"(?:,? (?:through|to|until|till|up to|as of) (?P<month>{_MC}))?(?![\w-])",
    re.IGNORECASE,
)


_HAS_YEAR = re.compile(_Y)
_YEAR_START = re.compile(r"from the (?:beginning|start) of ", re.IGNORECASE)
_SAID_ON = re.compile(
    r"\b(?:said|says|reported|told|announced|stated|noted|wrote|declared|added|published"
    r"|released|tweeted|posted|confirmed|meeting|briefing|conference|speech|interview)\b"
    r"[^\d.;,]{0,60}$",
    re.IGNORECASE,
)
_ON = re.compile(r"(?<!\w)(?:on|as of|as at)\s+$", re.IGNORECASE)


def _read(text: str, reference: date) -> Period | None:
    text = re.sub(r"(?<=\w)-(quarter|half)\b", r" \1", text)
    try:
        return parse_period(text, reference=reference)
    except QuantityError as error:
        if "after the claim" not in str(error) or _HAS_YEAR.search(text):
            return None
    # "in the fourth quarter" said in January: the last one that has begun, a year back.
    try:
        read = parse_period(text, reference=date(reference.year - 1, 12, 31))
    except (QuantityError, ValueError):
        return None
    return read if read is not None and read.start is not None and read.start <= reference else None


_END_OF_MONTH = re.compile(rf"(?:to|by|until|till|through) the end of ({_M}(?:,? {_Y})?)", re.I)


def _to_month_end(text: str, reference: date) -> Period | None:
    """ "to the end of June": the year to that month's end."""
    month = _END_OF_MONTH.fullmatch(text)
    if month is not None:
        read = _read(month.group(1), reference)
        if read is not None and read.end is not None:
            return Period(read.end.replace(month=1, day=1), read.end, text)
    return None


def _year_to(text: str, period: Period, reference: date) -> Period:
    """ "by the end of 2010", said after it: the whole of 2010 (a stock or a year's figure
    then), not from an open start."""
    if period.start is None and period.end is not None and period.end < reference:
        tail = re.sub(r"^.*?end of (?:the )?", "", text, flags=re.IGNORECASE)
        read = _read(tail, reference)
        if read is not None and read.start is not None and read.end == period.end:
            return Period(read.start, read.end, text)
    return period


def _so_far(match: re.Match[str], sentence: str, reference: date) -> Period | None:
    """ "in 2024 so far": the year to the end of the month named with it, else of the latest
    month the sentence names that has ended by `reference`, else to `reference` itself; never
    the whole year, which is not over."""
    year = int(match.group("year") or match.group("year2"))
    if year > reference.year:
        return None
    last = date(year, 12, 31) if year < reference.year else reference
    named = [match.group("month")] if match.group("month") else []
    named = named or [m.group() for m in _MONTH_NAMED.finditer(sentence)]
    ends = []
    for word in named:
        read = _read(f"{word.rstrip('.')} {year}", reference)
        if read is not None and read.end is not None and read.end <= last:
            ends.append(read.end)
    return Period(date(year, 1, 1), max(ends) if ends else last, match.group())


def find_periods(sentence: str, reference: date) -> list[Found]:
    """Every period phrase of the sentence the period reader reads, longest first where two
    overlap, in the order written."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for match in _SAME.finditer(sentence):
        start, end = match.span()
        year = int(match.group("year")) if match.group("year") else None
        back = match.group("back") or match.group("earlier") or match.group("possessive")
        same = 1 if back else 0
        base = _BASE.search(sentence[:start]) is not None or match.group().lower().startswith(
            "over the same"
        )
        taken.append((start, end))
        placeholder = Period(None, None, match.group())
        found.append(Found(start, end, match.group(), placeholder, base, same=same, same_year=year))
    for match in _SO_FAR.finditer(sentence):
        so_far = _so_far(match, sentence, reference)
        if so_far is not None and not any(match.start() < b and a < match.end() for a, b in taken):
            taken.append(match.span())
            found.append(Found(match.start(), match.end(), match.group(), so_far))
    matches = [*_PERIOD.finditer(sentence), *_MONTH_ALONE.finditer(sentence)]
    for match in sorted(matches, key=lambda m: (-(m.end() - m.start()), m.start())):
        start, end = match.span()
        if any(start < b and a < end for a, b in taken):
            continue
        text = match.group()
        period = _read(text, reference) or _to_month_end(text, reference)
        if period is None:
            # "to 2030" reads, "stretching to 2030" is found as "to 2030"; a word before a
            # year that the reader refuses leaves the year alone ("at 2023" is no period).
            core = re.sub(r"^\w+(?: the end of)? ", "", text) if " " in text else text
            if core != text and _read(core, reference) is not None:
                start, text = end - len(core), core
                period = _read(core, reference)
        if period is None:
            continue
        period = _year_to(text, period, reference)
        base = _BASE.search(sentence[:start]) is not None or (
            # "from the beginning of the year" is the year to date, not what a change is from
            text.lower().startswith("from ") and _YEAR_START.match(text) is None
        )
        base = base or (
            _BASE_OPENING.match(text) is not None
            and (text.lower().startswith("over") or bool(_BASE_BEFORE.search(sentence[:start])))
        )
        # "from January through December 2023" is a period, unless it follows the word of a
        # comparison ("16.4 percent less than from January through December 2022").
        ranged = re.match(r"from .+ (?:to|through|and) ", text, re.IGNORECASE) is not None
        base = base and not (ranged and _COMPARED.search(sentence[:start]) is None)
        taken.append((start, end))
        found.append(Found(start, end, text, period, base))
    for match in _DATE.finditer(sentence):
        # "the base rate to 14 percent on April 25": a figure of that day.
        start, end = match.span()
        on = _ON.search(sentence[:start])
        if on is not None and _SAID_ON.search(sentence[: on.start()]):
            continue  # "reported on June 23": the day it was said, not the figure's
        day = _read(match.group(), reference) if on is not None else None
        if on is not None and day is not None and not any(start < b and a < end for a, b in taken):
            taken.append((on.start(), end))
            found.append(Found(on.start(), end, sentence[on.start() : end], day))
    for match in _NOW.finditer(sentence):
        if not any(match.start() < b and a < match.end() for a, b in taken):
            point = Period(reference, reference, match.group())
            found.append(Found(match.start(), match.end(), match.group(), point, now=True))
    return _up_to(sentence, sorted(found, key=lambda f: f.start))


_UP_TO = re.compile(r"(?:till|until|up to|through|to)\s", re.IGNORECASE)


def _up_to(sentence: str, found: list[Found]) -> list[Found]:
    """ "In the month of September 2020 till 6 September 2020": one period, from the start of
    the first to the day the second ends on, when that day falls within the first."""
    out: list[Found] = []
    for f in found:
        last = out[-1] if out else None
        if (
            last is not None
            and not last.base
            and last.same is None
            and last.period.start is not None
            and last.period.end is not None
            and f.period.start is None
            and f.period.end is not None
            and last.period.start <= f.period.end <= last.period.end
            and _UP_TO.match(f.text) is not None
            and sentence[last.end : f.start].strip(" ,") == ""
        ):
            text = sentence[last.start : f.end]
            out[-1] = Found(last.start, f.end, text, Period(last.period.start, f.period.end, text))
            continue
        out.append(f)
    return out


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
