"""Sentences, and the figures in them, read by the quantities reader.

Each numeral (digits, a number word such as "six", a multiple such as "doubled") is extended to
the longest phrase `parse_quantity` accepts: first to the right (scale word, unit, "a year",
the far end of a range), then to the left (a hedge, a currency, a change word): "more than $10
billion", "900 km", "up to 5 million tonnes", "from 2 to 3 percent", "rose 38%". The reader's
own refusal of "rose from X to Y" (`two_levels`) splits it into the two levels it states.
Digits that are no figure are skipped with the reason (`Skip.why`): a year or a date, an
ordinal, a number inside a period phrase, a name or code, a phone number, an article number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from app.drafts.sentences import Sentence, sentences
from app.drafts.when import Dated
from app.drafts.when import Found as PeriodFound
from app.drafts.words import FRACTIONS, MULTIPLES, TENGE, changed_from, tenge
from app.quantities import Bound, FigureType, Quantity, QuantityError, parse_quantity
from app.quantities.number_words import SMALL_NUMBERS, TENS

__all__ = ["Figure", "Sentence", "Skip", "forget", "read_figures", "sentences"]


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure of a sentence: offsets in the sentence, the words as written, their reading.
    `read_as` is what was read: the words as written, or, for the first of two levels whose
    unit is written once ("from 2 to 3 percent"), the words completed with it."""

    start: int
    end: int
    text: str
    quantity: Quantity
    read_as: str
    role: str | None = None  # "before" / "after": the two levels of "rose from X to Y"
    notices: tuple[str, ...] = field(default=())
    typed: bool = False  # the figure type is the sentence's, not the words' (a share)


@dataclass(frozen=True, slots=True)
class Skip:
    """Digits that are no figure, and why."""

    start: int
    end: int
    text: str
    why: str


# --- chunks: the sentence's words with their punctuation stripped ----------------------------


@dataclass(frozen=True, slots=True)
class _Chunk:
    start: int
    end: int
    text: str
    stop: bool  # punctuation after it ends a phrase


_WORD = re.compile(r"\S+")
_LEADING = "\"'\u201c\u2018\u00ab([\\*_"
_TRAILING = ",;:!?)\"'\u201d\u2019\u00bb]*_"
_DOTTED = frozenset({"approx.", "c.", "ca.", "min.", "max.", "vs.", "no.", "art.", "bn.", "mln."})


def _chunks(sentence: str) -> list[_Chunk]:
    out: list[_Chunk] = []
    for match in _WORD.finditer(sentence):
        start, end = match.span()
        while start < end and sentence[start] in _LEADING:
            start += 1
        stop = False
        while start < end and (
            sentence[end - 1] in _TRAILING
            or (sentence[end - 1] == "." and sentence[start:end].lower() not in _DOTTED)
        ):
            stop = stop or sentence[end - 1] not in "\"'\u201d\u2019*_"
            end -= 1
        if start < end:
            out.append(_Chunk(start, end, sentence[start:end], stop))
    return out


# --- what is no figure -----------------------------------------------------------------------

_NUMBER_WORDS = frozenset({*SMALL_NUMBERS, *TENS} - {"zero"})
_DETERMINERS = frozenset({"the", "these", "those", "its", "their", "both", "all", "his", "her"})
_YEAR = re.compile(r"(?:1[89]|2[01])\d\d(?:'?s)?(?:\s*[-\u2013/]\s*(?:(?:1[89]|2[01])?\d\d))?")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)", re.IGNORECASE)
_CODE = re.compile(r"[A-Za-z][A-Za-z.]*-?\d[\w-]*|\d+[A-Za-z]+\d*")
_TIME = re.compile(r"\d{1,2}:\d\d(?:\s?[ap]\.?m\.?)?|\d{1,2}\.\d\d\s?[ap]\.?m\.?", re.I)
_PHONE = re.compile(
    r"(?:\+\d{1,3}[\s.-]?)?\(?\d{2,5}\)?[\s.-]?\d{2,4}[\s.-]\d{2,4}(?:[\s.-]\d{2,4})?(?!\d)"
)
_PHONE_CUE = re.compile(r"(?:tel|phone|call|fax|hotline|whatsapp)\.?:?\s*$", re.IGNORECASE)
_LABELS: dict[str, str] = {
    **dict.fromkeys(
        (
            *("article", "art", "law", "section", "clause", "paragraph", "resolution", "decree"),
            *("order", "no", "nos", "number", "#", "chapter", "annex", "appendix", "item"),
            *("point", "part", "regulation", "directive", "act", "code", "protocol", "issue"),
            *("page", "pages", "table", "figure", "fig", "volume", "vol"),
        ),
        "article_number",
    ),
    **dict.fromkeys(
        (
            *("unit", "block", "phase", "stage", "line", "route", "gate", "terminal", "platform"),
            *("version", "model", "flight", "level", "tier", "round", "district", "zone"),
        ),
        "name",
    ),
}
_BULLETS = frozenset({"-", "*", "\u2022", "\u2013", "\u2014"})
_DURATION = frozenset(
    {"year", "years", "month", "months", "week", "weeks", "day", "days", "hours", "minutes"}
)


def _inside(chunk: _Chunk, spans: list[tuple[int, int]]) -> bool:
    return any(a <= chunk.start and chunk.end <= b for a, b in spans)


def _skip_why(
    chunks: list[_Chunk], i: int, sentence: str, periods: list[PeriodFound], dates: list[Dated]
) -> str | None:
    chunk = chunks[i]
    text = chunk.text
    if "://" in text or text.lower().startswith("www."):
        return "url"
    if (i == 0 or chunks[i - 1].text in _BULLETS) and sentence[chunk.end : chunk.end + 1] in (
        ")",
        ".",
    ):
        return "list_number"
    if _inside(chunk, [(d.start, d.end) for d in dates]):
        return "date"
    if _inside(chunk, [(p.start, p.end) for p in periods]):
        return "year" if _YEAR.fullmatch(text) else "period_number"
    if _ORDINAL.fullmatch(text):
        return "ordinal"
    if _TIME.fullmatch(text):
        return "time"
    if _inside(chunk, _phones(sentence)):
        return "phone"
    if i > 0 and chunks[i - 1].text.lower().rstrip(".:") in _LABELS:
        return _LABELS[chunks[i - 1].text.lower().rstrip(".:")]
    if _CODE.fullmatch(text) and not text[0].isdigit() and not TENGE.fullmatch(text):
        return "name"
    return None


def _phones(sentence: str) -> list[tuple[int, int]]:
    """Phone numbers: digits in groups that open with "+" or a bracket, or follow "tel"."""
    return [
        m.span()
        for m in _PHONE.finditer(sentence)
        if sentence[m.start()] in "+(" or _PHONE_CUE.search(sentence[: m.start()])
    ]


def _anchor(chunks: list[_Chunk], i: int) -> bool:
    word = chunks[i].text.lower()
    if word in FRACTIONS or word.rsplit("-", 1)[-1] in FRACTIONS:
        # "a third of", "half of the cargo"; not "a third country", "the first half".
        after = chunks[i + 1].text.lower() if i + 1 < len(chunks) else ""
        return word.startswith("half") or after == "of" or chunks[i].stop
    return (
        any(c.isdigit() for c in word) or word.split("-")[0] in _NUMBER_WORDS or word in MULTIPLES
    )


# --- figures ---------------------------------------------------------------------------------

_AGO = frozenset({"earlier", "ago", "before", "later", "previously"})
_RIGHT = 7  # chunks a figure may run to the right of its numeral ("up to 5 million tonnes a year")
_LEFT = 4  # ... and to its left ("slightly more than", "rose by")


@lru_cache(maxsize=8192)
def _read(text: str) -> Quantity | QuantityError:
    """The reader's answer for the words (the same words are tried from several anchors and
    in several lengths; `forget` empties the cache at each request, so a text read again is
    read again)."""
    try:
        return parse_quantity(tenge(text))
    except QuantityError as error:
        return error


def forget() -> None:
    _read.cache_clear()


def read_figures(
    sentence: str, periods: list[PeriodFound], dates: list[Dated]
) -> tuple[list[Figure], list[Skip]]:
    """The figures of one sentence and the digits skipped, in the order written."""
    chunks = _chunks(sentence)
    # Digits of a year or a date: no figure runs into them ("in 2024 to 90.3 million tons").
    when_spans = [(p.start, p.end) for p in periods] + [(d.start, d.end) for d in dates]
    blocked = {
        k
        for k, c in enumerate(chunks)
        if any(ch.isdigit() for ch in c.text) and _inside(c, when_spans)
    }
    figures: list[Figure] = []
    skipped: list[Skip] = []
    consumed: set[int] = set()
    for i, chunk in enumerate(chunks):
        if i in consumed or not _anchor(chunks, i):
            continue
        digits = any(c.isdigit() for c in chunk.text)
        why = _skip_why(chunks, i, sentence, periods, dates)
        if why is not None:
            if digits or why == "period_number":
                skipped.append(Skip(chunk.start, chunk.end, chunk.text, why))
            continue
        year = bool(_YEAR.fullmatch(chunk.text))
        found = _longest(sentence, chunks, i, consumed | blocked, year=year)
        if found is None:
            if digits:
                skipped.append(Skip(chunk.start, chunk.end, chunk.text, _unread_why(chunks, i)))
            continue
        first, last, quantity, split = found
        if (first, last) == (i, i) and _YEAR.fullmatch(chunk.text):
            skipped.append(Skip(chunk.start, chunk.end, chunk.text, "year"))
            continue
        if not digits and (first, last) == (i, i) and _lone_word(chunks, i):
            continue
        consumed.update(range(first, last + 1))
        if split is None and quantity.bound is Bound.RANGE:
            split = changed_from([c.text for c in chunks], first, i)
        if split is not None:
            levels = _two_levels(sentence, chunks, i, last, split)
            if levels:
                figures.extend(levels)
                continue
            # "decline from 2.5% of GDP in 2026 to 0.9% by 2028": no "to" in reach; the
            # figure as it reads alone.
            alone = _read(sentence[chunks[i].start : chunks[last].end])
            if not isinstance(alone, Quantity):
                continue
            first, quantity = i, alone
        if _named(chunks, first, i, quantity):
            skipped.append(Skip(chunk.start, chunk.end, chunk.text, "name"))
            continue
        counted = _counted_time(chunks, first, last, i, quantity)
        if counted is not None:
            # "over two months before the deadline", "in seven years' time", "the first two
            # branches": a span of time or a rank, not a figure a claim states.
            if digits:
                skipped.append(Skip(chunk.start, chunk.end, chunk.text, counted))
            continue
        start, end = chunks[first].start, chunks[last].end
        text = sentence[start:end]
        figures.append(Figure(start, end, text, quantity, tenge(text)))
    return figures, skipped


_ACRONYM = re.compile(r"[A-Z]{2,6}")
_RANKS = frozenset({"first", "last", "next", "top", "final", "initial", "past", "previous"})


def _counted_time(
    chunks: list[_Chunk], first: int, last: int, i: int, quantity: Quantity
) -> str | None:
    """Why a bare count is none: it counts years ("seven years' time") or ranks ("the first
    two branches")."""
    if quantity.unit != "count" or quantity.figure_type is not FigureType.LEVEL:
        return None
    after = chunks[last + 1].text.lower() if last + 1 < len(chunks) else ""
    after = after.replace("\u2019", "'").removesuffix("'s").removesuffix("'")
    if after in _DURATION or after in ("decade", "decades", "year's"):
        return "duration"
    if first == i and i > 0 and chunks[i - 1].text.lower() in _RANKS:
        return "ordinal"
    return None


def _named(chunks: list[_Chunk], first: int, i: int, quantity: Quantity) -> bool:
    """A bare number after an acronym names something: "FTSE 100", "COP 28"."""
    return (
        first == i
        and i > 0
        and quantity.unit == "count"
        and chunks[i].text.isdigit()
        and _ACRONYM.fullmatch(chunks[i - 1].text) is not None
    )


def _lone_word(chunks: list[_Chunk], i: int) -> bool:
    """A number word alone that counts nothing a claim would: "one of", "the two countries"."""
    word = chunks[i].text.lower()
    after = chunks[i + 1].text.lower() if i + 1 < len(chunks) else ""
    before = chunks[i - 1].text.lower() if i > 0 else ""
    return word == "one" or after in ("of", "or", "and", "to") or before in _DETERMINERS


def _unread_why(chunks: list[_Chunk], i: int) -> str:
    text = chunks[i].text
    after = chunks[i + 1].text.lower() if i + 1 < len(chunks) else ""
    if _CODE.fullmatch(text):
        return "name"
    if after in _DURATION or after.rstrip("s") in ("hour", "minute"):
        return "duration"
    return "unreadable"


def _longest(
    sentence: str, chunks: list[_Chunk], i: int, consumed: set[int], *, year: bool
) -> tuple[int, int, Quantity, int | None] | None:
    """The longest phrase around `chunks[i]` the reader accepts: (first chunk, last chunk,
    reading, the chunk a "rose from X to Y" starts at when the reader says it is two levels)."""
    right = i
    while right + 1 < len(chunks) and right - i < _RIGHT and not chunks[right].stop:
        if right + 1 in consumed:
            break
        right += 1
    right = _reached(sentence, chunks, i, right)
    last, quantity = -1, None
    for j in range(right, i - 1, -1):
        if j + 1 < len(chunks) and chunks[j + 1].text.lower() in _AGO:
            continue  # "$3 billion a year earlier": "a year" is when, not a rate
        read = _read(sentence[chunks[i].start : chunks[j].end])
        if isinstance(read, Quantity):
            last, quantity = j, read
            break
    if quantity is None:
        # "up to a third", "two-thirds of": a fraction reads only with the words before it.
        word = chunks[i].text.lower()
        if word not in FRACTIONS:
            return None
        for k in range(max(0, i - 3), i):
            if k - 1 in consumed or any(c in consumed for c in range(k, i)):
                continue
            read = _read(sentence[chunks[k].start : chunks[i].end])
            if isinstance(read, Quantity):
                return k, i, read, None
        return None
    for j in range(i, last):
        # Words that do not change the reading stay out of it ("six [new cargo vessels]",
        # "900 kilometers [of new rail]"): they name the metric, not the figure; a range
        # keeps its far end's unit ("from 9 percent to 15 [percent]").
        if chunks[j].text.lower() in ("of", "in", "to", "and", "or", "the", "a", "an"):
            continue
        if quantity.bound is Bound.RANGE and any(c.isdigit() for c in chunks[j].text):
            continue
        read = _read(sentence[chunks[i].start : chunks[j].end])
        if isinstance(read, Quantity) and _same(read, quantity):
            last, quantity = j, read
            break
    if year and last == i:
        return i, i, quantity, None  # a year alone: no hedge or change word makes it a figure
    left = i
    while left - 1 >= 0 and i - left < _LEFT and left - 1 not in consumed:
        if chunks[left - 1].stop or chunks[left - 1].text in _BULLETS:
            break
        left -= 1
    split: int | None = None
    first = i
    for k in range(left, i):
        if chunks[k].text.lower() != "between":
            continue
        # "between 725,000 and 755,000 tonnes": the far end is read only with "between".
        for j in range(right, last, -1):
            read = _read(sentence[chunks[k].start : chunks[j].end])
            if isinstance(read, Quantity):
                shorter = (
                    j2
                    for j2 in range(last + 1, j)
                    if _same_read(_read(sentence[chunks[k].start : chunks[j2].end]), read)
                )
                return k, next(shorter, j), read, None
    for k in range(left, i):
        read = _read(sentence[chunks[k].start : chunks[last].end])
        if isinstance(read, Quantity):
            first, quantity = k, read
            break
        if read.code == "two_levels" and split is None:
            split = k
    if split is not None and (first == i or split < first):
        return split, last, quantity, split
    if quantity.figure_type is FigureType.LEVEL:
        for k in range(i, first, -1):
            # "amounted to $1.3 billion" reads as "$1.3 billion": the verb stays out of it.
            read = _read(sentence[chunks[k].start : chunks[last].end])
            if isinstance(read, Quantity) and _same(read, quantity):
                first, quantity = k, read
                break
    if first < i and chunks[first].text.lower() in ("a", "an"):
        read = _read(sentence[chunks[first + 1].start : chunks[last].end])
        if isinstance(read, Quantity):
            first, quantity = first + 1, read
    return first, last, quantity, None


def _reached(sentence: str, chunks: list[_Chunk], i: int, right: int) -> int:
    """Where a figure ends before "to" when what follows is another figure in another unit:
    "rose by 9.6 percent [to 17.8 million tonnes]" is a change and the level it reached."""
    to = next((t for t in range(i + 1, right + 1) if chunks[t].text.lower() == "to"), None)
    if to is None or to == right:
        return right
    before = _read(sentence[chunks[i].start : chunks[to - 1].end])
    if not isinstance(before, Quantity) or before.unit == "count":
        return right
    for j in range(right, to, -1):
        after = _read(sentence[chunks[to + 1].start : chunks[j].end])
        if isinstance(after, Quantity):
            return to - 1 if after.dimension != before.dimension else right
    return right


def _same_read(a: Quantity | QuantityError, b: Quantity) -> bool:
    return isinstance(a, Quantity) and _same(a, b)


def _same(a: Quantity, b: Quantity) -> bool:
    return (a.value, a.unit, a.bound, a.interval, a.figure_type) == (
        b.value,
        b.unit,
        b.bound,
        b.interval,
        b.figure_type,
    )


def _two_levels(sentence: str, chunks: list[_Chunk], i: int, last: int, split: int) -> list[Figure]:
    """ "rose from 2 to 3 percent": the level before and the level after, each a figure."""
    to = next(
        (t for t in range(i + 1, last + 1) if chunks[t].text.lower() in ("to", "-", "\u2013")),
        None,
    )
    if to is None:
        return []  # "from 2-3": no "to" between the levels; left to the analyst
    before = sentence[chunks[i].start : chunks[to - 1].end]
    after = sentence[chunks[to + 1].start : chunks[last].end]
    after_read = _read(after)
    if not isinstance(after_read, Quantity):
        return []
    number = next(t for t in range(to + 1, last + 1) if any(c.isdigit() for c in chunks[t].text))
    read_as = before
    notices: tuple[str, ...] = ()
    if before[-1].isdigit() and number < last:
        read_as = f"{before} {sentence[chunks[number + 1].start : chunks[last].end]}"
        notices = (f"'{before}' read as '{read_as}': the unit is written once, after '{after}'",)
    before_read = _read(read_as)
    if not isinstance(before_read, Quantity):
        return []
    said = sentence[chunks[split].start : chunks[last].end]
    why = f"'{said}' states two levels, before and after: one draft for each"
    return [
        Figure(
            chunks[i].start,
            chunks[to - 1].end,
            before,
            before_read,
            read_as,
            "before",
            (why, *notices),
        ),
        Figure(chunks[to + 1].start, chunks[last].end, after, after_read, after, "after", (why,)),
    ]
