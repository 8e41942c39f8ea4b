"""Cutting a figure written as a range ("$5-7 bn", "between 3 and 4") into its two ends."""

from __future__ import annotations

from collections.abc import Sequence

from app.quantities.errors import QuantityError
from app.quantities.figures import starts_figure
from app.quantities.number_words import SMALL_NUMBERS, TENS
from app.quantities.tokens import Kind, Token

_RANGE_WORDS = {"to", "and", "from", "between"}


def split_range(tokens: list[Token], original: str) -> list[list[Token]]:
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
