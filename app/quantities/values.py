"""Reading figures as written ("$16.5 billion", "more than 4,000") into quantities."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import Enum

from app.quantities.errors import QuantityError
from app.quantities.intervals import (
    ARITHMETIC,
    Bound,
    Interval,
    Qualifier,
    interval_for,
    range_interval,
)
from app.quantities.units import MONEY, SUPERSCRIPT_DIGITS, Unit, lookup_phrase, lookup_unit, plain

__all__ = ["MAX_MAGNITUDE", "MAX_SIGNIFICANT_DIGITS", "Quantity", "parse_quantity", "parse_value"]

MAX_MAGNITUDE = Decimal(10) ** 24
"""Values must be smaller than this in absolute value (in their canonical unit).

The largest real claims are world GDP-sized (~10^14 USD) or in weak currencies (~10^17); a
larger figure is a typo or an attempt to make the service compute with huge exponents.
"""

MAX_SIGNIFICANT_DIGITS = 30
"""A written number may carry at most this many significant digits."""

INDEX_BASE = Decimal(100)
"""Growth indices are written against a base of 100 ("105.3%" = 5.3% growth)."""


@dataclass(frozen=True, slots=True)
class Quantity:
    """A figure as read: its value and interval in the canonical unit, and the text it came from.

    ``value`` is the stated value (for a range, its midpoint); ``interval`` is every value the
    wording allows (see `interval_for`).
    """

    value: Decimal
    unit: str
    dimension: str
    bound: Bound
    interval: Interval
    text: str

    @property
    def low(self) -> Decimal | None:
        return self.interval.low

    @property
    def high(self) -> Decimal | None:
        return self.interval.high


# --- words -----------------------------------------------------------------------------------

# Scale words, read case-insensitively. One-letter scales are in _CASED_SCALES instead.
_SCALES: dict[str, int] = {
    "hundred": 2,
    "thousand": 3,
    "million": 6,
    "mln": 6,
    "mn": 6,
    "mil": 6,
    "billion": 9,
    "bln": 9,
    "bn": 9,
    "bil": 9,
    "trillion": 12,
    "trln": 12,
    "trl": 12,
    "tn": 12,
    # South Asian scales, written with rupee figures ("Rs 500 crore").
    "lakh": 5,
    "lakhs": 5,
    "lac": 5,
    "crore": 7,
    "crores": 7,
}

# One-letter scales are read in the case written: "T" is a trillion but "t" a tonne. "m" is not
# here: it is either a million or a metre, settled by `_settle_units`.
_CASED_SCALES: dict[str, int] = {"k": 3, "K": 3, "M": 6, "b": 9, "B": 9, "T": 12}

_SMALL_NUMBERS: dict[str, int] = {
    word: n
    for n, word in enumerate(
        (
            *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
            *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen"),
            *("seventeen", "eighteen", "nineteen"),
        )
    )
}
_TENS: dict[str, int] = {
    word: 10 * n
    for n, word in enumerate(
        ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), 2
    )
}
_MULTIPLIERS: dict[str, int] = {
    "hundred": 2,
    "thousand": 3,
    "million": 6,
    "billion": 9,
    "trillion": 12,
}


def _phrase_table(groups: Sequence[tuple[str, Qualifier]]) -> dict[tuple[str, ...], Qualifier]:
    return {
        tuple(phrase.split()): qualifier
        for phrases, qualifier in groups
        for phrase in phrases.split("|")
    }


# Qualifiers written before the figure. Longest phrase wins ("just under" before "under").
# "nearly" is read as symmetric "about", as DESIGN.md lists it; "almost" caps from above.
# "estimated" marks a figure nobody counted exactly, so it is approximate too.
_PREFIXES = _phrase_table(
    [
        (
            "about|around|approximately|approx|approx.|roughly|some|nearly|close to|circa|c."
            "|ca.|~|≈|an estimated|estimated|more or less",
            Qualifier.APPROX,
        ),
        (
            "almost|just under|just below|just shy of|slightly less than|a little under"
            "|a little less than",
            Qualifier.ALMOST,
        ),
        (
            "just over|just above|slightly more than|slightly over|a little over"
            "|a little more than",
            Qualifier.JUST_OVER,
        ),
        (
            "at least|no less than|not less than|no fewer than|not fewer than|minimum of"
            "|a minimum of|min.|as few as|as little as|≥|>=",
            Qualifier.AT_LEAST,
        ),
        (
            "more than|over|above|exceeded|exceeding|exceeds|exceed|in excess of|upwards of"
            "|upward of|surpass|surpassed|surpasses|surpassing|top|tops|topped|topping|break"
            "|breaks|broke|breaking|greater than|higher than|beyond|>",
            Qualifier.MORE_THAN,
        ),
        (
            "up to|at most|no more than|not more than|maximum of|a maximum of|max.|as many as"
            "|as much as|≤|<=",
            Qualifier.AT_MOST,
        ),
        ("less than|under|below|fewer than|lower than|<", Qualifier.LESS_THAN),
    ]
)

# Qualifiers written after the figure ("4,000+", "$5 billion or more").
_SUFFIXES: dict[tuple[str, ...], Qualifier] = {
    ("+",): Qualifier.AT_LEAST,
    ("or", "more"): Qualifier.AT_LEAST,
    ("or", "above"): Qualifier.AT_LEAST,
    ("or", "over"): Qualifier.AT_LEAST,
    ("or", "higher"): Qualifier.AT_LEAST,
    ("and", "above"): Qualifier.AT_LEAST,
    ("and", "more"): Qualifier.AT_LEAST,
    ("or", "less"): Qualifier.AT_MOST,
    ("or", "fewer"): Qualifier.AT_MOST,
    ("or", "below"): Qualifier.AT_MOST,
    ("or", "lower"): Qualifier.AT_MOST,
    ("and", "below"): Qualifier.AT_MOST,
    ("or", "so"): Qualifier.APPROX,
}

_RANGE_WORDS = {"to", "and", "from", "between"}

# Besides a minus sign ("-7", U+2212), only these words make a figure negative ("minus 7").
_MINUS_WORDS = {"minus", "negative"}


# --- tokens ----------------------------------------------------------------------------------


class _Kind(Enum):
    NUMBER = "number"
    WORD = "word"
    CURRENCY = "currency"  # a currency sign: $, US$, €, ₸ ...
    PERCENT = "percent"
    DASH = "dash"  # a minus sign or a range dash
    HYPHEN = "hyphen"  # a hyphen right after a letter ("EUR-7", "twenty-four"): never a minus
    SIGN = "sign"  # comparison signs and "+", "~"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    text: str

    @property
    def word(self) -> str:
        """The lowercase form compared with word tables."""
        return self.text.lower()


# Letters: \w is also true of superscript digits ("²".isalnum()), which are no letters here.
_LETTER = rf"[^\W\d_{SUPERSCRIPT_DIGITS}]"

# Footnote marks. A superscript right after letters belongs to the word, as the exponent of a
# unit ("km²", "m³", read by the unit layer); anywhere else it marks a footnote (or a power of
# ten nobody should have to guess), and a footnote mark must never change a figure.
_FOOTNOTE_MARKS = f"{SUPERSCRIPT_DIGITS}†‡*"

_TOKEN = re.compile(
    rf"""
    (?P<number>(?:\d+(?:,\d+)*(?:\.\d+)?|\.\d+)(?:e[+-]?\d+(?!{_LETTER}))?)
    # "km2", "m3": the digit belongs to the unit, not to a following number
    |(?P<area>(?<!{_LETTER})(?:km|m|mi)[23](?![\d]))
    |(?P<currency>(?:US|C|A|HK)\$|\$|€|£|¥|₽|₸|₹|₩|₺|₼|₾)
    |(?P<word>{_LETTER}+(?P<raised>[{SUPERSCRIPT_DIGITS}]+)?\.?)
    |(?P<footnote>[{_FOOTNOTE_MARKS}])
    |(?P<percent>%)
    # A hyphen joined to a word before it ("EUR-7-billion", headline style) is no minus sign;
    # the minus sign U+2212 always is.
    |(?P<hyphen>(?<={_LETTER})-)
    |(?P<dash>[-\u2212])
    |(?P<sign>>=|<=|≥|≤|>|<|~|≈|\+)
    |(?P<space>\s+)
    |(?P<other>.)
    """,
    re.VERBOSE | re.IGNORECASE,
)

_KINDS = {
    "number": _Kind.NUMBER,
    "area": _Kind.WORD,
    "currency": _Kind.CURRENCY,
    "word": _Kind.WORD,
    "percent": _Kind.PERCENT,
    "hyphen": _Kind.HYPHEN,
    "dash": _Kind.DASH,
    "sign": _Kind.SIGN,
    "other": _Kind.OTHER,
}

_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\ufe63\uff0d", "-"))
_GROUPING_SPACE = re.compile(r"(?<=\d)[\u00a0\u2009\u202f](?=\d{3}(?!\d))")
_MARKDOWN_ESCAPE = re.compile(r"\\([$%~<>+\-])")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _normalise(text: str) -> str:
    # The seed briefings are Markdown and escape "$" ("\$10 billion").
    s = _MARKDOWN_ESCAPE.sub(r"\1", text)
    s = s.translate(_DASHES)
    # Thin and no-break spaces group thousands in Russian and French styles ("16 500").
    s = _GROUPING_SPACE.sub(",", s)
    s = re.sub(r"\bU\.\s?S\.\s?", "US ", s)
    s = re.sub(r"\bUS\s+\$", "US$", s)
    s = re.sub(r"\s+", " ", s).strip().rstrip(",;:!?")
    # A full stop copied along with the figure ("... $10 billion.") is not part of it.
    return re.sub(r"(?<=[\w%])\.$", "", s)


def _tokenize(text: str, original: str) -> list[_Token]:
    tokens: list[_Token] = []
    for match in _TOKEN.finditer(text):
        group = match.lastgroup
        if group is None or group == "space":
            continue
        text = match.group()
        # A superscript after a word is an exponent only when the word is a unit ("km²").
        raised = match.group("raised") if group == "word" else None
        if group == "footnote" or (raised and lookup_phrase([text]) is None):
            mark = raised or text
            raise QuantityError(
                "footnote_mark",
                f"could not read '{mark}' in '{original}': a superscript or footnote mark is not "
                "part of a figure (only a unit takes an exponent, as in 'km²'); remove it",
            )
        kind = _KINDS[group]
        if kind is _Kind.OTHER:
            raise QuantityError("unknown_unit", f"could not read '{text}' in '{original}'")
        tokens.append(_Token(kind, text))
    return tokens


# --- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Figure:
    """One number as written, before units are settled: digits x 10^scale, in ``unit``."""

    digits: Decimal  # the number as written, signed ("16.5", "-2", "4000" for "four thousand")
    place: Decimal  # the unit of its last stated digit (0.1 for "16.5", 1000 for "four thousand")
    scale: int | None  # power of ten of the scale word, None when none was written
    unit: Unit | None
    bare_m: bool = False  # followed by a lone "m": a million or a metre, settled later
    full_number: bool = False  # spelled with its own multiplier: takes no scale word


def _read_digits(token: _Token, original: str) -> tuple[Decimal, Decimal]:
    raw = token.text
    if "," in raw and not _GROUPED.fullmatch(raw):
        raise QuantityError(
            "unreadable_number",
            f"could not read the number '{raw}' in '{original}': commas must group thousands",
        )
    return _checked_number(Decimal(raw.replace(",", "")), original)


def _checked_number(number: Decimal, original: str) -> tuple[Decimal, Decimal]:
    """The number and the unit of its last digit, refused when it is no claim's number."""
    if not number.is_finite():
        raise QuantityError("non_finite", f"'{original}' is not a finite number")
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    # Exponents are bounded both ways so "1e400" or "1e-999999" never reach the arithmetic.
    if number.adjusted() >= 24 or exponent < -MAX_SIGNIFICANT_DIGITS:
        raise QuantityError("out_of_range", f"'{original}' is beyond the values accepted")
    if len(number.as_tuple().digits) > MAX_SIGNIFICANT_DIGITS:
        raise QuantityError(
            "out_of_range", f"'{original}' has more than {MAX_SIGNIFICANT_DIGITS} digits"
        )
    return number, Decimal(1).scaleb(exponent)


def _read_spelled(tokens: Sequence[_Token], start: int) -> tuple[int, int, int, bool] | None:
    """A number in words from ``tokens[start]``: (value, place, next index, had a multiplier).

    The place is that of the last number word times the multipliers written after it, so
    "four thousand" is 4 x 10^3 with place 1000, like "4 thousand", and "twenty-four" has place 1.
    """
    total = current = 0
    place = 1
    last = ""  # "small", "tens", "hundred" or "big": what the previous word was
    biggest = 99  # power of the last big multiplier; later ones must be smaller
    multiplied = False
    i = start
    while i < len(tokens):
        token = tokens[i]
        word = token.word
        nxt = tokens[i + 1].word if i + 1 < len(tokens) else ""
        if token.kind in (_Kind.DASH, _Kind.HYPHEN):
            # Only the hyphen of "twenty-four" belongs to a number in words.
            if last == "tens" and nxt in _SMALL_NUMBERS and 0 < _SMALL_NUMBERS[nxt] < 10:
                i += 1
                continue
            break
        if token.kind is not _Kind.WORD:
            break
        if word in ("a", "an") and i == start and nxt in _MULTIPLIERS:
            current, place, last = 1, 1, "small"
        elif word in _SMALL_NUMBERS and (
            last in ("", "hundred", "big") or (last == "tens" and 0 < _SMALL_NUMBERS[word] < 10)
        ):
            current += _SMALL_NUMBERS[word]
            place, last = 1, "small"
        elif word in _TENS and last in ("", "hundred", "big"):
            current += _TENS[word]
            place, last = 1, "tens"
        elif word == "hundred" and last in ("small", "tens") and 0 < current < 10:
            current *= 100
            place *= 100
            last, multiplied = "hundred", True
        elif word == "and" and last == "hundred" and (nxt in _SMALL_NUMBERS or nxt in _TENS):
            pass
        elif word in _MULTIPLIERS and word != "hundred" and last in ("small", "tens", "hundred"):
            power = _MULTIPLIERS[word]
            if power >= biggest or current == 0:
                break
            total += current * 10**power
            place *= 10**power
            current, biggest, last, multiplied = 0, power, "big", True
        else:
            break
        i += 1
    if i == start or last == "":
        return None
    return total + current, place, i, multiplied


def _starts_figure(tokens: Sequence[_Token], i: int) -> bool:
    """Whether a new figure begins at ``tokens[i]`` (the far side of a range)."""
    if i >= len(tokens):
        return False
    token = tokens[i]
    if token.kind in (_Kind.NUMBER, _Kind.CURRENCY):
        return True
    if token.kind is _Kind.DASH:
        return i + 1 < len(tokens) and tokens[i + 1].kind is _Kind.NUMBER
    if token.kind is not _Kind.WORD:
        return False
    nxt = tokens[i + 1].word if i + 1 < len(tokens) else ""
    return (
        token.word in _SMALL_NUMBERS
        or token.word in _TENS
        or (token.word in ("a", "an") and nxt in _MULTIPLIERS)
    )


def _read_unit(tokens: Sequence[_Token], i: int) -> tuple[Unit, int] | None:
    """The longest unit phrase starting at ``tokens[i]``, and the index after it."""
    if i < len(tokens) and tokens[i].kind is _Kind.PERCENT:
        return lookup_unit("%"), i + 1
    for length in (4, 3, 2, 1):
        words = tokens[i : i + length]
        if len(words) < length or any(t.kind not in (_Kind.WORD, _Kind.CURRENCY) for t in words):
            continue
        unit = lookup_phrase([t.text for t in words])
        if unit is not None:
            return unit, i + length
    return None


def _read_figure(tokens: Sequence[_Token], original: str) -> _Figure:
    """One figure: [sign] [currency] number [scale] [unit], nothing before or after."""
    i = 0
    negative = signed = False
    prefix_unit: Unit | None = None
    while i < len(tokens):
        token = tokens[i]
        if (token.kind is _Kind.DASH or token.word in _MINUS_WORDS) and not signed:
            negative = signed = True
            i += 1
            continue
        if token.text == "+" and not signed:
            signed = True
            i += 1
            continue
        if prefix_unit is None and token.kind in (_Kind.CURRENCY, _Kind.WORD):
            # Currencies may stand before the number ("$5", "KZT 4.8 trln", "Rs 500 crore"),
            # joined to it by a hyphen in headlines ("EUR-7-billion"): that is no minus sign.
            found = _read_unit(tokens, i)
            if found is not None and found[0].dimension == MONEY:
                prefix_unit, i = found
                if i < len(tokens) and tokens[i].kind is _Kind.HYPHEN:
                    i += 1
                continue
        break

    full_number = False
    if i < len(tokens) and tokens[i].kind is _Kind.NUMBER:
        digits, place = _read_digits(tokens[i], original)
        i += 1
    else:
        spelled = _read_spelled(tokens, i)
        if spelled is None:
            raise QuantityError("unreadable_number", f"could not read a number in '{original}'")
        value, whole_place, i, full_number = spelled
        digits, place = Decimal(value), Decimal(whole_place)
    if negative:
        digits = -digits

    # "120-km", "3,000-kilometer", "$5-billion": a hyphen joining the number to its word.
    if i + 1 < len(tokens) and tokens[i].kind is _Kind.DASH and tokens[i + 1].kind is _Kind.WORD:
        i += 1

    scale: int | None = None
    bare_m = False
    if i < len(tokens) and tokens[i].kind is _Kind.WORD:
        text = tokens[i].text
        power = _CASED_SCALES.get(text, _SCALES.get(text.rstrip(".").lower()))
        if power is not None or text == "m":
            if full_number:
                raise QuantityError(
                    "unknown_scale",
                    f"a second scale word '{text}' follows a number in words in '{original}'",
                )
            if power is None:
                # A lone "m" is a million when a unit follows ("5m tonnes"), else undecided.
                if _read_unit(tokens, i + 1) is not None:
                    scale = 6
                else:
                    bare_m = True
            else:
                scale = power
            i += 1
            if i < len(tokens) and tokens[i].kind is _Kind.WORD:
                extra = tokens[i].text
                if extra in _CASED_SCALES or extra.rstrip(".").lower() in _SCALES:
                    raise QuantityError(
                        "unknown_scale", f"a second scale word '{extra}' in '{original}'"
                    )

    unit = prefix_unit
    if i < len(tokens) and not bare_m:
        found = _read_unit(tokens, i)
        if found is not None:
            suffix_unit, i = found
            if unit is not None and unit != suffix_unit:
                raise QuantityError(
                    "mixed_units",
                    f"'{original}' names two units: {unit.canonical} and {suffix_unit.canonical}",
                )
            unit = suffix_unit

    if i < len(tokens):
        rest = " ".join(t.text for t in tokens[i:])
        if tokens[i].kind is _Kind.NUMBER:
            # "1 000", "1.234.567": digits after the number are a grouping we do not read.
            raise QuantityError(
                "unreadable_number", f"could not read the number '{rest}' in '{original}'"
            )
        raise QuantityError("unknown_unit", f"could not read the unit '{rest}' in '{original}'")
    return _Figure(digits, place, scale, unit, bare_m, full_number)


# --- qualifiers and ranges -------------------------------------------------------------------


def _strip_index(tokens: list[_Token]) -> tuple[list[_Token], bool]:
    words = [t.word for t in tokens]
    if words[:2] == ["index", "of"]:
        return tokens[2:], True
    if words[:1] == ["index"]:
        return tokens[1:], True
    if words[-1:] == ["index"]:
        return tokens[:-1], True
    return tokens, False


def _strip_qualifiers(tokens: list[_Token], original: str) -> tuple[list[_Token], Qualifier | None]:
    words = [t.word for t in tokens]
    qualifier: Qualifier | None = None
    for length in (4, 3, 2, 1):
        found = _PREFIXES.get(tuple(words[:length]))
        if found is not None and len(tokens) > length:
            qualifier, tokens, words = found, tokens[length:], words[length:]
            break
    for length in (2, 1):
        found = _SUFFIXES.get(tuple(words[-length:]))
        if found is not None and len(tokens) > length:
            if qualifier is not None and qualifier is not found:
                raise QuantityError(
                    "conflicting_bounds", f"'{original}' is qualified twice, in two ways"
                )
            qualifier, tokens = found, tokens[:-length]
            break
    words = [t.word for t in tokens]
    if any(tuple(words[:n]) in _PREFIXES for n in (1, 2, 3)) and len(tokens) > 1:
        raise QuantityError("conflicting_bounds", f"'{original}' is qualified twice")
    return tokens, qualifier


def _split_range(tokens: list[_Token], original: str) -> list[list[_Token]]:
    words = [t.word for t in tokens]
    if words[:1] == ["between"]:
        if "and" not in words:
            raise QuantityError("unreadable_number", f"'between' needs 'and' in '{original}'")
        at = words.index("and")
        return [tokens[1:at], tokens[at + 1 :]]
    if words[:1] == ["from"]:
        if "to" not in words:
            raise QuantityError("unreadable_number", f"'from' needs 'to' in '{original}'")
        at = words.index("to")
        return [tokens[1:at], tokens[at + 1 :]]
    separators = [i for i in range(1, len(tokens)) if _is_range_separator(tokens, i)]
    if not separators:
        return [tokens]
    if len(separators) > 1:
        raise QuantityError("unreadable_number", f"could not read '{original}' as one range")
    at = separators[0]
    return [tokens[:at], tokens[at + 1 :]]


def _is_range_separator(tokens: Sequence[_Token], i: int) -> bool:
    token, before = tokens[i], tokens[i - 1]
    if token.word == "to":
        return True
    if token.kind not in (_Kind.DASH, _Kind.HYPHEN) or i + 1 >= len(tokens):
        return False
    # Before any number ("-5", "$-5"), or after "to", "and" or another sign, a dash is a
    # minus sign, not a range.
    if before.kind in (_Kind.DASH, _Kind.HYPHEN, _Kind.SIGN) or before.word in _RANGE_WORDS:
        return False
    if not any(_starts_figure(tokens, j) for j in range(i) if tokens[j].kind is not _Kind.CURRENCY):
        return False
    nxt = tokens[i + 1].word
    if before.word in _TENS and nxt in _SMALL_NUMBERS and 0 < _SMALL_NUMBERS[nxt] < 10:
        return False  # "twenty-four"
    return _starts_figure(tokens, i + 1)


# --- settling units and building the quantity ------------------------------------------------

_NON_FINITE = {"nan", "snan", "inf", "infinity", "∞"}
_COUNT = lookup_unit("count")
_PERCENT = lookup_unit("%")


def _settle_units(figures: list[_Figure], default: Unit | None, original: str) -> list[_Figure]:
    """Give every figure its scale and unit, sharing what a range writes only once."""
    written = [f.unit for f in figures if f.unit is not None]
    context = written[0] if written else default
    settled: list[_Figure] = []
    for figure in figures:
        if figure.bare_m:
            # "$5m" is five million dollars and "500 m to 1 km" metres; with nothing to tell
            # them apart, "5m" is refused rather than guessed.
            if context is None:
                raise QuantityError(
                    "ambiguous_unit",
                    f"'m' in '{original}' could be million or metres: write 'mln' or 'metres'",
                )
            if context.dimension == "length":
                figure = replace(figure, unit=lookup_unit("m"), bare_m=False)
            else:
                figure = replace(figure, scale=6, bare_m=False)
        settled.append(figure)

    kinds = {
        f.unit.canonical if f.unit.dimension == MONEY else f.unit.dimension
        for f in settled
        if f.unit is not None
    }
    if len(kinds) > 1:
        names = " and ".join(sorted(kinds))
        raise QuantityError("mixed_units", f"'{original}' mixes units that differ: {names}")
    shared = next((f.unit for f in settled if f.unit is not None), default or _COUNT)
    settled = [f if f.unit is not None else replace(f, unit=shared) for f in settled]

    if len(settled) == 2:
        left, right = settled
        # "$5-7 billion": the scale written once applies to both ends, unless the first end is
        # already a full number bigger than the second's digits ("500,000 to 1 million").
        if (
            left.scale is None
            and right.scale is not None
            and not left.full_number
            and (abs(left.digits) < 1000 or left.digits <= right.digits)
        ):
            settled[0] = replace(left, scale=right.scale)
    return settled


def _in_canonical(figure: _Figure, original: str) -> tuple[Decimal, Decimal]:
    """The figure's value and half-unit in its canonical unit."""
    assert figure.unit is not None  # settled by _settle_units
    factor = ARITHMETIC.multiply(Decimal(1).scaleb(figure.scale or 0), figure.unit.factor)
    value = ARITHMETIC.multiply(figure.digits, factor)
    half_unit = ARITHMETIC.multiply(ARITHMETIC.multiply(figure.place, factor), Decimal("0.5"))
    if abs(value) >= MAX_MAGNITUDE:
        raise QuantityError(
            "out_of_range",
            f"'{original}' is beyond the largest value accepted (10^24 {figure.unit.canonical})",
        )
    return value, half_unit


def _build(
    figures: list[_Figure],
    qualifier: Qualifier | None,
    *,
    indexed: bool,
    text: str,
    original: str,
) -> Quantity:
    if indexed and any(f.unit is None or f.unit.dimension != "percent" for f in figures):
        raise QuantityError(
            "incompatible_units", f"an index is a percentage of 100; '{original}' is not"
        )
    values = [_in_canonical(f, original) for f in figures]
    unit = figures[0].unit
    assert unit is not None
    if len(values) == 1:
        value, half_unit = values[0]
        qualifier = qualifier or Qualifier.EXACT
        interval = interval_for(value, qualifier, half_unit)
        bound = qualifier.bound
    else:
        if qualifier not in (None, Qualifier.APPROX):
            raise QuantityError(
                "conflicting_bounds",
                f"'{original}' is a range and cannot also be a {qualifier.value} bound",
            )
        (low, _), (high, _) = values
        if low > high:
            raise QuantityError(
                "inverted_range", f"the range '{original}' starts above where it ends"
            )
        interval = range_interval(low, high, approx=qualifier is Qualifier.APPROX)
        value = ARITHMETIC.divide(ARITHMETIC.add(low, high), 2)
        bound = Bound.RANGE
    if indexed:
        # Growth indices are written against 100: "105.3%" is 5.3 % growth.
        value = ARITHMETIC.subtract(value, INDEX_BASE)
        interval = interval.shifted(-INDEX_BASE)
    return Quantity(
        value=plain(value),
        unit=unit.canonical,
        dimension=unit.dimension,
        bound=bound,
        interval=Interval(
            None if interval.low is None else plain(interval.low),
            None if interval.high is None else plain(interval.high),
            interval.low_open,
            interval.high_open,
        ),
        text=text,
    )


def parse_quantity(text: str, *, default_unit: str | None = None, index: bool = False) -> Quantity:
    """Read a figure as written in the news ("$16.5 billion", "more than 4,000", "$5-7 bn").

    ``default_unit`` is the unit to use when the text names none (the metric's unit); without
    it such a figure is a count. ``index`` reads a growth index ("105.3%" -> 5.3); the word
    "index" in the text does the same. Raises `QuantityError` for anything it cannot read.
    """
    original = text.strip() if isinstance(text, str) else ""
    if not original:
        raise QuantityError("empty_value", "the value is empty")
    normalised = _normalise(original)
    if normalised.lower().lstrip("+-\u2212") in _NON_FINITE:
        raise QuantityError("non_finite", f"'{original}' is not a finite number")
    tokens = _tokenize(normalised, original)
    if not tokens:
        raise QuantityError("unreadable_number", f"could not read a number in '{original}'")
    tokens, index_word = _strip_index(tokens)
    tokens, qualifier = _strip_qualifiers(tokens, original)
    sides = _split_range(tokens, original)
    if any(not side for side in sides):
        raise QuantityError("unreadable_number", f"could not read a number in '{original}'")
    figures = [_read_figure(side, original) for side in sides]
    indexed = index or index_word
    default = lookup_unit(default_unit) if default_unit is not None else None
    figures = _settle_units(figures, _PERCENT if indexed else default, original)
    return _build(figures, qualifier, indexed=indexed, text=text, original=original)


# --- structured input ------------------------------------------------------------------------

_BOUND_QUALIFIERS: dict[Bound, Qualifier] = {
    Bound.EXACT: Qualifier.EXACT,
    Bound.APPROX: Qualifier.APPROX,
    Bound.AT_LEAST: Qualifier.AT_LEAST,
    Bound.MORE_THAN: Qualifier.MORE_THAN,
    Bound.AT_MOST: Qualifier.AT_MOST,
    Bound.LESS_THAN: Qualifier.LESS_THAN,
}

_BOUND_WORDS: dict[Bound, str] = {
    Bound.EXACT: "",
    Bound.APPROX: "about ",
    Bound.AT_LEAST: "at least ",
    Bound.MORE_THAN: "more than ",
    Bound.AT_MOST: "at most ",
    Bound.LESS_THAN: "less than ",
    Bound.RANGE: "",
}


def _read_unit_field(unit: str) -> tuple[int | None, Unit]:
    """A unit given on its own, optionally with a scale word: "USD", "bn USD", "million tonnes"."""
    original = unit.strip() if isinstance(unit, str) else ""
    if not original:
        raise QuantityError("unknown_unit", "the unit is empty")
    tokens = _tokenize(_normalise(original), original)
    scale: int | None = None
    if tokens and tokens[0].kind is _Kind.WORD and tokens[0].word.rstrip(".") in _SCALES:
        scale, tokens = _SCALES[tokens[0].word.rstrip(".")], tokens[1:]
    elif tokens and tokens[-1].kind is _Kind.WORD and tokens[-1].word.rstrip(".") in _SCALES:
        scale, tokens = _SCALES[tokens[-1].word.rstrip(".")], tokens[:-1]
    found = _read_unit(tokens, 0) if tokens else None
    if found is None or found[1] != len(tokens):
        raise QuantityError("unknown_unit", f"could not read the unit '{original}'")
    return scale, found[0]


def _figure_from_input(value: Decimal | int | str, unit: Unit, scale: int | None) -> _Figure:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        # Floats have already lost the digits as written; Decimal or text keeps them.
        raise QuantityError(
            "unreadable_number",
            f"a value must be a Decimal, an int or text, not {type(value).__name__}",
        )
    if isinstance(value, str):
        original = value.strip()
        if not original:
            raise QuantityError("empty_value", "the value is empty")
        try:
            figure = _read_figure(_tokenize(_normalise(original), original), original)
        except QuantityError as error:
            # Not as written in the news, but maybe as a machine writes it: "1.65E+10", "NaN".
            try:
                number = Decimal(original)
            except InvalidOperation:
                raise error from None
            number, place = _checked_number(number, original)
            return _Figure(number, place, scale, unit)
        if figure.unit is not None:
            raise QuantityError(
                "mixed_units", f"the value '{original}' names a unit; give it in unit only"
            )
        if figure.scale is not None and scale is not None:
            raise QuantityError(
                "unknown_scale", f"the value '{original}' and its unit both carry a scale word"
            )
        if figure.bare_m:
            figure = replace(figure, bare_m=False, scale=6)
        return replace(figure, unit=unit, scale=figure.scale if scale is None else scale)
    # A Decimal keeps the digits it was written with: Decimal("16.5") is known to 0.1.
    number, place = _checked_number(Decimal(value), str(value))
    return _Figure(number, place, scale, unit)


def parse_value(
    value: Decimal | int | str,
    unit: str,
    bound: Bound = Bound.EXACT,
    *,
    high: Decimal | int | str | None = None,
) -> Quantity:
    """Read a figure given as value, unit and bound rather than as text.

    The interval follows the same rules as `parse_quantity`; the last digit of ``value`` as
    given sets the half-unit, so pass ``Decimal("16.5")`` with unit "bn USD", or the text
    "16.5 billion", rather than 16500000000 when the figure was rounded. For a range the
    upper end is ``high``.
    """
    try:
        bound = Bound(bound)
    except ValueError:
        raise QuantityError("invalid_bound", f"unknown bound '{bound}'") from None
    scale, written = _read_unit_field(unit)
    figures = [_figure_from_input(value, written, scale)]
    if bound is Bound.RANGE:
        if high is None:
            raise QuantityError("invalid_bound", "a range needs its high end")
        figures.append(_figure_from_input(high, written, scale))
        text = f"{value}-{high} {unit}"
    elif high is not None:
        raise QuantityError("invalid_bound", f"only a range has a high end, not '{bound}'")
    else:
        text = f"{_BOUND_WORDS[bound]}{value} {unit}"
    figures = _settle_units(figures, written, text)
    qualifier = None if bound is Bound.RANGE else _BOUND_QUALIFIERS[bound]
    return _build(figures, qualifier, indexed=False, text=text, original=text)
