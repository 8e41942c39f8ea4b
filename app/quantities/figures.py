"""Reading one figure from its tokens: [sign] [currency] number [scale] [unit]."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.quantities.errors import QuantityError
from app.quantities.grouping import ambiguous_comma, ambiguous_point, read_numerals
from app.quantities.number_words import (
    CASED_SCALES,
    COMPOUND_SCALES,
    MULTIPLIERS,
    SCALES,
    SMALL_NUMBERS,
    TENS,
    read_spelled,
)
from app.quantities.tokens import Kind, Token
from app.quantities.unit_phrases import name, read_base, read_bracket, read_per, read_unit, restated
from app.quantities.units import MONEY, Unit, agree

MAX_SIGNIFICANT_DIGITS = 30
"""A written number may carry at most this many significant digits."""

# Besides a minus sign ("-7", U+2212), only these words make a figure negative ("minus 7").
_MINUS_WORDS = {"minus", "negative"}
_ARTICLES = {"a", "an"}
_HALF = Decimal("0.5")
_ONE = Decimal(1)

# A lone comma read as thousands by default is refused before scale words this large or larger.

# The first words of the scales written in two words ("lakh crore"): `_compound_scale` looks
# only after these.
_COMPOUND_FIRST = frozenset(first for first, _ in COMPOUND_SCALES)


@dataclass(frozen=True, slots=True)
class Figure:
    """One number as written, before units are settled: digits x 10^scale, in ``unit``."""

    digits: Decimal  # the number as written, signed ("16.5", "-2", "4000" for "four thousand")
    place: Decimal  # the unit of its last stated digit (0.1 for "16.5", 1000 for "four thousand")
    scale: int | None  # power of ten of the scale word, None when none was written
    unit: Unit | None
    bare_m: bool = False  # followed by a lone "m": a million or a metre, settled later
    full_number: bool = False  # spelled with its own multiplier: takes no scale word
    per: str | None = None  # a rate: "year", "day", "month", "quarter" or "hectare"


def _read_digits(token: Token, original: str) -> tuple[Decimal, Decimal]:
    numeral = token.numeral or read_numerals([token.text], original)[0]
    return checked_number(numeral.number, original)


def _refuse_guessed_mark(token: Token, scale: int | None, scale_word: str, original: str) -> None:
    """Refuse a lone mark read by default where the other reading is likely: "1.000" with no
    scale word after it is a thousand written with a point ("1.000-franc notes") at least as
    often as it is one. A lone comma before three digits groups thousands, as the digit-group
    rule says, scale word or not: "KZT 1,158 billion" is 1.158 trillion tenge, as reports of the
    region write weak currencies' sums (a page that writes decimals with commas says so in
    another number of the same text: "1,500-2,5 billion")."""
    guessed = token.numeral.guessed if token.numeral is not None else None
    if guessed == "." and scale is None:
        raise ambiguous_point(token.text, original)


def checked_number(number: Decimal, original: str) -> tuple[Decimal, Decimal]:
    """The number and the unit of its last digit, refused when it is no claim's number."""
    if not number.is_finite():
        raise QuantityError("non_finite", f"'{original}' is not a finite number")
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite
    # Exponents are bounded both ways so "1e400" or "1e-999999" never reach the arithmetic.
    if number.adjusted() >= 24 or exponent < -MAX_SIGNIFICANT_DIGITS:
        raise QuantityError("out_of_range", f"'{original}' is beyond the values accepted")
    if len(digits) > MAX_SIGNIFICANT_DIGITS:
        raise QuantityError(
            "out_of_range", f"'{original}' has more than {MAX_SIGNIFICANT_DIGITS} digits"
        )
    return number, _ONE.scaleb(exponent)


def starts_figure(tokens: Sequence[Token], i: int) -> bool:
    """Whether a new figure begins at ``tokens[i]`` (the far side of a range)."""
    if i >= len(tokens):
        return False
    token = tokens[i]
    if token.kind in (Kind.NUMBER, Kind.CURRENCY):
        return True
    if token.kind is Kind.DASH:
        return i + 1 < len(tokens) and tokens[i + 1].kind is Kind.NUMBER
    if token.kind is not Kind.WORD:
        return False
    nxt = tokens[i + 1].word if i + 1 < len(tokens) else ""
    return (
        token.word in SMALL_NUMBERS
        or token.word in TENS
        or (token.word in ("a", "an") and nxt in MULTIPLIERS)
    )


def _both(unit: Unit | None, suffix: Unit, original: str) -> Unit:
    """The unit written before the number and the one after it must name one unit."""
    merged = suffix if unit is None else agree(unit, suffix)
    if merged is None:
        assert unit is not None
        raise QuantityError(
            "mixed_units", f"'{original}' names two units: {name(unit)} and {name(suffix)}"
        )
    return merged


def _scale_power(word: str) -> int | None:
    power = CASED_SCALES.get(word)
    return SCALES.get(word.rstrip(".").lower()) if power is None else power


def _compound_scale(tokens: Sequence[Token], i: int) -> tuple[int, int] | None:
    """A scale of two words from ``tokens[i]`` ("lakh crore", "lakh-crore"): its power and
    the index after it."""
    j = i + 2 if i + 2 < len(tokens) and tokens[i + 1].kind is Kind.HYPHEN else i + 1
    if j >= len(tokens):
        return None
    power = COMPOUND_SCALES.get((tokens[i].word, tokens[j].word))
    return None if power is None else (power, j + 1)


def _read_smaller_parts(
    tokens: Sequence[Token], i: int, figure: tuple[Decimal, Decimal, int], original: str
) -> tuple[Decimal, Decimal, int, int]:
    """Add the parts after a scaled number: "8 trillion 514 billion", "37 billion 940.5 million".

    ``figure`` is (digits, place, scale) so far; each part is a number and a smaller scale word,
    the number under one of the scale before it. The place is that of the last part.
    """
    digits, place, scale = figure
    while i + 1 < len(tokens) and tokens[i].kind is Kind.NUMBER:
        word = tokens[i + 1].text
        power = _scale_power(word) if tokens[i + 1].kind is Kind.WORD else None
        if power is None:
            break
        part, part_place = _read_digits(tokens[i], original)
        _refuse_guessed_mark(tokens[i], power, word, original)
        if power >= scale or part >= Decimal(10) ** (scale - power):
            raise QuantityError(
                "unknown_scale",
                f"'{tokens[i].text} {word}' cannot follow '{tokens[i - 1].text}' in "
                f"'{original}': each part of a figure is smaller than one of the scale before it "
                "('8 trillion 514 billion')",
            )
        digits = digits.scaleb(scale - power) + (-part if digits < 0 else part)
        place, scale, i = part_place, power, i + 2
    return digits, place, scale, i


def _opens_figure(tokens: Sequence[Token], i: int) -> bool:
    """Whether a number or a currency (a sign, a code, a name) stands at ``tokens[i]``."""
    if i >= len(tokens):
        return False
    if tokens[i].kind in (Kind.NUMBER, Kind.CURRENCY):
        return True
    found = read_base(tokens, i) if tokens[i].kind is Kind.WORD else None
    return found is not None and found[0].dimension == MONEY


def _percent_before_number(tokens: Sequence[Token], found: tuple[Unit, int]) -> bool:
    """A percent word ("percent", "per cent") with a bare number after it and nothing else."""
    unit, end = found
    return (
        unit.dimension == "percent" and end == len(tokens) - 1 and tokens[end].kind is Kind.NUMBER
    )


def _half_a(tokens: Sequence[Token], i: int) -> bool:
    """ "half a billion": half of "a billion", the half its place too (0.25 to 0.75 billion)."""
    return (
        i + 2 < len(tokens)
        and tokens[i].word == "half"
        and tokens[i + 1].word in _ARTICLES
        and tokens[i + 2].word in MULTIPLIERS
        and tokens[i + 2].word != "hundred"
    )


def read_figure(tokens: Sequence[Token], original: str) -> Figure:
    """One figure: [sign] [currency] number [scale] [unit], nothing before or after."""
    i = 0
    if len(tokens) > 1 and tokens[0].word in _ARTICLES and _opens_figure(tokens, 1):
        # "a $21 billion rescue package": the article is no part of the figure ("a billion" is
        # one billion, read as a number in words below).
        i = 1
    negative = signed = False
    prefix_unit: Unit | None = None
    while i < len(tokens):
        token = tokens[i]
        if (token.kind is Kind.DASH or token.word in _MINUS_WORDS) and not signed:
            negative = signed = True
            i += 1
            continue
        if token.text == "+" and not signed:
            signed = True
            i += 1
            continue
        if prefix_unit is None and token.kind in (Kind.CURRENCY, Kind.WORD):
            # Currencies may stand before the number ("$5", "KZT 4.8 trln", "Rs 500 crore"),
            # joined to it by a hyphen in headlines ("EUR-7-billion"): that is no minus sign.
            found = read_base(tokens, i)
            if found is not None and found[0].dimension == MONEY:
                prefix_unit, i = found
                if i < len(tokens) and tokens[i].kind is Kind.HYPHEN:
                    i += 1
                continue
            if found is not None and _percent_before_number(tokens, found):
                # "or percent 2,7 to country gross domestic product", as statutes are
                # translated: the word before a bare number and nothing after it.
                prefix_unit, i = found
                continue
        break

    full_number = False
    number_token: Token | None = None
    if i < len(tokens) and tokens[i].kind is Kind.NUMBER:
        number_token = tokens[i]
        digits, place = _read_digits(number_token, original)
        i += 1
    elif _half_a(tokens, i):
        digits, place = _HALF, _HALF
        i += 2
    else:
        spelled = read_spelled(tokens, i)
        if spelled is None and any(t.kind is Kind.NUMBER for t in tokens[i + 1 :]):
            raise QuantityError(
                "unreadable_number",
                f"could not read '{tokens[i].text}' before the number in '{original}'",
            )
        if spelled is None:
            raise QuantityError("unreadable_number", f"could not read a number in '{original}'")
        value, whole_place, i, full_number = spelled
        digits, place = Decimal(value), Decimal(whole_place)
    if negative:
        digits = -digits

    # "120-km", "3,000-kilometer", "$5-billion": a hyphen joining the number to its word.
    if i + 1 < len(tokens) and tokens[i].kind is Kind.DASH and tokens[i + 1].kind is Kind.WORD:
        i += 1

    scale: int | None = None
    scale_word = ""
    bare_m = False
    # A scale word, unless a one-letter one begins a unit spelling: "5 b/d" is barrels a day.
    spelling = read_base(tokens, i) if i < len(tokens) and tokens[i].text in CASED_SCALES else None
    if (
        i < len(tokens)
        and tokens[i].kind is Kind.WORD
        and (spelling is None or spelling[1] == i + 1)
    ):
        text = tokens[i].text
        power = _scale_power(text)
        if power is not None or text == "m":
            if full_number:
                raise QuantityError(
                    "unknown_scale",
                    f"a second scale word '{text}' follows a number in words in '{original}'",
                )
            if power is None:
                # A lone "m" is a million when a unit follows ("5m tonnes"), else undecided.
                if read_unit(tokens, i + 1) is not None:
                    scale = 6
                else:
                    bare_m = True
            else:
                scale, scale_word = power, text
            i += 1
            compound = (
                _compound_scale(tokens, i - 1) if tokens[i - 1].word in _COMPOUND_FIRST else None
            )
            if compound is not None:
                # "Rs 2 lakh crore": one scale written in two words (10^12)
                scale, i = compound
            if i < len(tokens) and tokens[i].kind is Kind.WORD:
                extra = tokens[i].text
                if extra in CASED_SCALES or extra.rstrip(".").lower() in SCALES:
                    raise QuantityError(
                        "unknown_scale", f"a second scale word '{extra}' in '{original}'"
                    )

    guessed: str | None = None  # a lone mark the digit-group rule read by default
    if number_token is not None and number_token.numeral is not None:
        guessed = number_token.numeral.guessed
        if guessed is not None:
            _refuse_guessed_mark(number_token, scale, scale_word, original)
    count = len(tokens)
    if scale is not None and scale_word and i + 1 < count and tokens[i].kind is Kind.NUMBER:
        digits, place, scale, i = _read_smaller_parts(tokens, i, (digits, place, scale), original)

    unit = prefix_unit
    per: str | None = None
    if i < len(tokens) and not bare_m:
        written = read_unit(tokens, i)
        if written is not None and unit is not None and written.unit.dimension == "count":
            # "$4.2 billion investment projects": money counts no things; the noun is refused
            # as any other word after a sum is ("$10 billion investment").
            written = None
        if written is not None:
            unit, per, i = _both(unit, written.unit, original), written.per, written.end
    bracket = read_bracket(tokens, i) if i < count else None
    if bracket is not None:
        # "(USD)", "(TEUs)", "(bcm)": the unit again, as a label
        inner, i = bracket
        per = per or inner.per
        unit = restated(unit, per, inner, original)
    if per is None and i < count and (found_per := read_per(tokens, i)) is not None:
        per, i = found_per

    if i < count:
        rest = " ".join(t.text for t in tokens[i:])
        if tokens[i].kind is Kind.NUMBER and tokens[i - 1].kind is Kind.NUMBER:
            raise QuantityError(
                "unreadable_number",
                f"'{tokens[i - 1].text}' and '{tokens[i].text}' in '{original}' are two numbers "
                "side by side: digits grouped by spaces go in threes ('2 500'), and a year "
                "belongs in the period",
            )
        if tokens[i].kind is Kind.NUMBER:
            raise QuantityError(
                "unreadable_number",
                f"could not read the number '{rest}' in '{original}': a figure has one number, "
                "and a year belongs in the period",
            )
        raise QuantityError("unknown_unit", f"could not read the unit '{rest}' in '{original}'")
    if guessed == "," and number_token and _comma_may_be_decimal(number_token, scale, unit):
        raise ambiguous_comma(number_token.text, scale_word, original)
    return Figure(digits, place, scale, unit, bare_m, full_number, per)


# Currencies in which a sum of a thousand billion or more is written in trillions: in these, a
# comma before three digits and "billion" ("$1,340 billion") is more likely the region's decimal
# comma (1.34 billion) than a trillion written in billions. In tenge, sums or roubles, "KZT 1,158
# billion" is how reports write 1.158 trillion.
DECIMAL_COMMA_SUSPECT = frozenset({"USD", "EUR", "GBP", "CHF"})


def _comma_may_be_decimal(token: Token, scale: int | None, unit: Unit | None) -> bool:
    guessed = token.numeral.guessed if token.numeral is not None else None
    return (
        guessed == ","
        and scale is not None
        and scale >= 9
        and unit is not None
        and unit.canonical in DECIMAL_COMMA_SUSPECT
    )
