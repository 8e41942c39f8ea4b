"""Hedges around a figure: the words that bound it ("over", "up to", "about"), and "index".

`HEDGES` is the one table of them: the parser reads it, and README.md's reference section is
rendered from it (`hedge_table`; a test holds the two together).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.quantities.errors import QuantityError
from app.quantities.intervals import INTERVAL_RULES, Qualifier
from app.quantities.tokens import Token


@dataclass(frozen=True, slots=True)
class Hedge:
    """Words that qualify a figure, where they stand, and what they commit the writer to."""

    spellings: tuple[str, ...]
    qualifier: Qualifier
    after: bool = False  # written after the figure ("4,000+", "$5 billion or more")


# Before the figure, the longest phrase wins ("just under" before "under"). "nearly" and
# "almost" put the figure a little below X, never above; "close to", "some" and "an estimated"
# (a figure nobody counted exactly) are symmetric, as "about" is.
HEDGES: tuple[Hedge, ...] = (
    Hedge(
        (
            *("about", "around", "approximately", "approx", "approx.", "roughly", "some"),
            *("close to", "circa", "c.", "ca.", "~", "≈", "an estimated", "estimated"),
            "more or less",
        ),
        Qualifier.APPROX,
    ),
    Hedge(("or so",), Qualifier.APPROX, after=True),
    Hedge(
        (
            *("almost", "nearly", "near", "just under", "just below", "just shy of"),
            *("slightly less than", "a little under", "a little less than"),
        ),
        Qualifier.ALMOST,
    ),
    Hedge(
        (
            *("just over", "just above", "slightly more than", "slightly over"),
            *("a little over", "a little more than", "a little bit over"),
            "a little bit more than",
        ),
        Qualifier.JUST_OVER,
    ),
    Hedge(
        (
            *("at least", "no less than", "not less than", "no fewer than", "not fewer than"),
            *("minimum of", "a minimum of", "min.", "as few as", "as little as", "≥", ">="),
        ),
        Qualifier.AT_LEAST,
    ),
    Hedge(
        ("+", "or more", "or above", "or over", "or higher", "and above", "and more", "and up"),
        Qualifier.AT_LEAST,
        after=True,
    ),
    Hedge(
        (
            *("more than", "over", "above", "exceeded", "exceeding", "exceeds", "exceed"),
            *("in excess of", "upwards of", "upward of", "surpass", "surpassed", "surpasses"),
            *("surpassing", "top", "tops", "topped", "topping", "break", "breaks", "broke"),
            *("breaking", "greater than", "higher than", "beyond", ">"),
        ),
        Qualifier.MORE_THAN,
    ),
    Hedge(
        (
            *("up to", "at most", "no more than", "not more than", "maximum of"),
            *("a maximum of", "max.", "as many as", "as much as", "≤", "<="),
            *("did not exceed", "does not exceed", "do not exceed", "not exceeding"),
        ),
        Qualifier.AT_MOST,
    ),
    Hedge(
        ("or less", "or fewer", "or below", "or lower", "and below"),
        Qualifier.AT_MOST,
        after=True,
    ),
    Hedge(("less than", "under", "below", "fewer than", "lower than", "<"), Qualifier.LESS_THAN),
)


def _phrases(after: bool) -> dict[tuple[str, ...], Qualifier]:
    table: dict[tuple[str, ...], Qualifier] = {}
    for hedge in HEDGES:
        if hedge.after is after:
            for spelling in hedge.spellings:
                words = tuple(spelling.split())
                assert words not in table, f"hedge '{spelling}' is listed twice"
                table[words] = hedge.qualifier
    return table


_PREFIXES = _phrases(after=False)
_SUFFIXES = _phrases(after=True)
_LONGEST = max(len(words) for words in _PREFIXES)
# The first words of hedges before a figure, the last of those after it: a text whose words
# are none of these carries no hedge, and the tables are not looked up.
_PREFIX_FIRST = frozenset(words[0] for words in _PREFIXES)
_SUFFIX_LAST = frozenset(words[-1] for words in _SUFFIXES)


def hedge_table() -> str:
    """`HEDGES` as the Markdown table of README.md's reference section."""
    lines = [
        "| written | where | bound | interval of X |",
        "|---|---|---|---|",
    ]
    for hedge in HEDGES:
        written = ", ".join(f"`{s}`" for s in hedge.spellings)
        where = "after X" if hedge.after else "before X"
        rule = INTERVAL_RULES[hedge.qualifier]
        lines.append(f"| {written} | {where} | `{hedge.qualifier.bound}` | {rule} |")
    return "\n".join(lines) + "\n"


def strip_index(tokens: list[Token]) -> tuple[list[Token], bool]:
    if not tokens:
        return tokens, False
    if tokens[0].word == "index":
        if len(tokens) > 1 and tokens[1].word == "of":
            return tokens[2:], True
        return tokens[1:], True
    if tokens[-1].word == "index":
        return tokens[:-1], True
    return tokens, False


def starts_with_hedge(tokens: list[Token]) -> bool:
    """Whether a hedge written before a figure opens these tokens (and a figure may follow)."""
    words = tuple(t.word for t in tokens)
    return any(words[:n] in _PREFIXES for n in range(1, _LONGEST + 1) if len(words) > n)


def strip_qualifiers(tokens: list[Token], original: str) -> tuple[list[Token], Qualifier | None]:
    if not tokens or (
        tokens[0].word not in _PREFIX_FIRST
        and tokens[0].word not in ("a", "an")
        and tokens[-1].word not in _SUFFIX_LAST
    ):
        return tokens, None  # no word that opens or ends a hedge
    words = [t.word for t in tokens]
    qualifier: Qualifier | None = None
    # An article may stand before a hedge ("a near tripling"); "a little over" is a hedge of
    # its own, found first as it is longer.
    for skip in (0, 1) if words[:1] in (["a"], ["an"]) else (0,):
        if skip >= len(words) or words[skip] not in _PREFIX_FIRST:
            continue
        for length in range(_LONGEST, 0, -1):
            found = _PREFIXES.get(tuple(words[skip : skip + length]))
            if found is not None and len(tokens) > skip + length:
                qualifier = found
                tokens, words = tokens[skip + length :], words[skip + length :]
                break
        if qualifier is not None:
            break
    for length in (2, 1) if words and words[-1] in _SUFFIX_LAST else ():
        found = _SUFFIXES.get(tuple(words[-length:]))
        if found is not None and len(tokens) > length:
            if qualifier is not None and qualifier is not found:
                raise QuantityError(
                    "conflicting_bounds", f"'{original}' is qualified twice, in two ways"
                )
            qualifier, tokens = found, tokens[:-length]
            break
    if (
        len(tokens) > 1
        and tokens[0].word in _PREFIX_FIRST
        and any(tuple([t.word for t in tokens[:n]]) in _PREFIXES for n in (1, 2, 3))
    ):
        raise QuantityError("conflicting_bounds", f"'{original}' is qualified twice")
    return tokens, qualifier
