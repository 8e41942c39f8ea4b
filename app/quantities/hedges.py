"""Hedges around a figure: the qualifiers before and after it, and the word "index"."""

from __future__ import annotations

from collections.abc import Sequence

from app.quantities.errors import QuantityError
from app.quantities.intervals import Qualifier
from app.quantities.tokens import Token


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


def strip_index(tokens: list[Token]) -> tuple[list[Token], bool]:
    words = [t.word for t in tokens]
    if words[:2] == ["index", "of"]:
        return tokens[2:], True
    if words[:1] == ["index"]:
        return tokens[1:], True
    if words[-1:] == ["index"]:
        return tokens[:-1], True
    return tokens, False


def strip_qualifiers(tokens: list[Token], original: str) -> tuple[list[Token], Qualifier | None]:
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
