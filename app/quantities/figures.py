"""Reading one figure from its tokens: [sign] [currency] number [scale] [unit]."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.quantities.errors import QuantityError
from app.quantities.number_words import (
    CASED_SCALES,
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

_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


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
    raw = token.text
    if "," in raw and not _GROUPED.fullmatch(raw):
        raise QuantityError(
            "unreadable_number",
            f"could not read the number '{raw}' in '{original}': commas must group thousands",
        )
    return checked_number(Decimal(raw.replace(",", "")), original)


def checked_number(number: Decimal, original: str) -> tuple[Decimal, Decimal]:
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


def read_figure(tokens: Sequence[Token], original: str) -> Figure:
    """One figure: [sign] [currency] number [scale] [unit], nothing before or after."""
    i = 0
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
        break

    full_number = False
    if i < len(tokens) and tokens[i].kind is Kind.NUMBER:
        digits, place = _read_digits(tokens[i], original)
        i += 1
    else:
        spelled = read_spelled(tokens, i)
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
    bare_m = False
    # A scale word, unless a one-letter one begins a unit spelling: "5 b/d" is barrels a day.
    spelling = read_base(tokens, i) if i < len(tokens) and tokens[i].text in CASED_SCALES else None
    if (
        i < len(tokens)
        and tokens[i].kind is Kind.WORD
        and (spelling is None or spelling[1] == i + 1)
    ):
        text = tokens[i].text
        power = CASED_SCALES.get(text, SCALES.get(text.rstrip(".").lower()))
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
                scale = power
            i += 1
            if i < len(tokens) and tokens[i].kind is Kind.WORD:
                extra = tokens[i].text
                if extra in CASED_SCALES or extra.rstrip(".").lower() in SCALES:
                    raise QuantityError(
                        "unknown_scale", f"a second scale word '{extra}' in '{original}'"
                    )

    unit = prefix_unit
    per: str | None = None
    if i < len(tokens) and not bare_m:
        written = read_unit(tokens, i)
        if written is not None:
            unit, per, i = _both(unit, written.unit, original), written.per, written.end
    bracket = read_bracket(tokens, i)
    if bracket is not None:
        # "(USD)", "(TEUs)", "(bcm)": the unit again, as a label
        inner, i = bracket
        per = per or inner.per
        unit = restated(unit, per, inner, original)
    if per is None and (found_per := read_per(tokens, i)) is not None:
        per, i = found_per

    if i < len(tokens):
        rest = " ".join(t.text for t in tokens[i:])
        if tokens[i].kind is Kind.NUMBER:
            # "1 000", "1.234.567": digits after the number are a grouping we do not read.
            raise QuantityError(
                "unreadable_number", f"could not read the number '{rest}' in '{original}'"
            )
        raise QuantityError("unknown_unit", f"could not read the unit '{rest}' in '{original}'")
    return Figure(digits, place, scale, unit, bare_m, full_number, per)
