"""Cutting a figure written as a range ("$5-7 bn", "between 3 and 4") into its two ends.

A unit or currency may be written on one end or on both ("$5bn-$7bn", "5-7 billion dollars");
`settle_units` shares it. A hedge may stand before the whole range ("about 5-7") or on an end
("between about 5 and 7"): "about" and its like make the range approximate, whichever end
they are on; a bound on one end ("from 5 to over 7") is refused (`read_ends`).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.quantities.errors import QuantityError
from app.quantities.figures import starts_figure
from app.quantities.hedges import strip_qualifiers
from app.quantities.intervals import Qualifier
from app.quantities.number_words import SMALL_NUMBERS, TENS
from app.quantities.tokens import Kind, Token

_RANGE_WORDS = {"to", "and", "from", "between"}
# Only "to" or one of these may part a range (`_is_range_separator`): others are not asked.
_SEPARATOR_KINDS = frozenset((Kind.DASH, Kind.HYPHEN))


def split_range(tokens: list[Token], original: str) -> list[list[Token]]:
    first = tokens[0].word if tokens else None
    if first == "between":
        words = [t.word for t in tokens]
        if "and" not in words:
            # "between KZT 250-270": the dash parts the ends, as "and" would.
            sides = split_range(tokens[1:], original) if len(tokens) > 1 else []
            if len(sides) == 2:
                return sides
            raise QuantityError("unreadable_number", f"'between' needs 'and' in '{original}'")
        at = words.index("and")
        return [tokens[1:at], tokens[at + 1 :]]
    if first == "from":
        words = [t.word for t in tokens]
        if "to" not in words:
            raise QuantityError("unreadable_number", f"'from' needs 'to' in '{original}'")
        at = words.index("to")
        return [tokens[1:at], tokens[at + 1 :]]
    separators = [
        i
        for i in range(1, len(tokens))
        if (tokens[i].word == "to" or tokens[i].kind in _SEPARATOR_KINDS)
        and _is_range_separator(tokens, i)
    ]
    if not separators:
        return [tokens]
    if len(separators) > 1:
        raise QuantityError("unreadable_number", f"could not read '{original}' as one range")
    at = separators[0]
    return [tokens[:at], tokens[at + 1 :]]


def _is_range_separator(tokens: Sequence[Token], i: int) -> bool:
    token, before = tokens[i], tokens[i - 1]
    if token.word == "to":
        return True
    if token.kind not in (Kind.DASH, Kind.HYPHEN) or i + 1 >= len(tokens):
        return False
    # Before any number ("-5", "$-5"), or after "to", "and" or another sign, a dash is a
    # minus sign, not a range.
    if before.kind in (Kind.DASH, Kind.HYPHEN, Kind.SIGN) or before.word in _RANGE_WORDS:
        return False
    if not any(starts_figure(tokens, j) for j in range(i) if tokens[j].kind is not Kind.CURRENCY):
        return False
    nxt = tokens[i + 1].word
    if before.word in TENS and nxt in SMALL_NUMBERS and 0 < SMALL_NUMBERS[nxt] < 10:
        return False  # "twenty-four"
    return starts_figure(tokens, i + 1)


def read_ends(sides: list[list[Token]], original: str) -> tuple[list[list[Token]], bool]:
    """The ends of a range without their hedges, and whether one was hedged with "about" or
    its like (the range is then approximate); any other hedge on an end is refused."""
    if len(sides) != 2:
        return sides, False
    out: list[list[Token]] = []
    approx = False
    for side in sides:
        bare, qualifier = strip_qualifiers(side, original)
        if qualifier not in (None, Qualifier.APPROX):
            raise QuantityError(
                "hedged_range_end",
                f"'{original}' bounds one end of a range ('{qualifier}'): log the range "
                "without it, or the bound alone",
            )
        approx = approx or qualifier is Qualifier.APPROX
        out.append(bare)
    return out, approx
