"""The words of a change around a figure: "rose by", "down", "a 38% increase", "year-on-year",
and the levels that must not pass for a change ("rose to $44 billion" is the level reached;
"rose from 5 to 7" states two levels and is refused). See `relative` for what follows.
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.quantities.errors import QuantityError
from app.quantities.figures import starts_figure
from app.quantities.quantity import FigureType
from app.quantities.relative import RELATIVE_WORDS, Said
from app.quantities.tokens import Kind, Token

__all__ = ["read_change", "read_tail", "strip_base_marker"]


def _words(spellings: str) -> set[tuple[str, ...]]:
    return {tuple(s.split()) for s in spellings.split("|")}


# A change word before the figure, and the direction it gives: 1 a rise, -1 a fall.
_HEADS: dict[tuple[str, ...], int] = {
    **dict.fromkeys(
        _words(
            "rose|rise|rises|risen|rising|increased|increase|increases|increasing|grew|grow"
            "|grows|grown|growing|gained|gains|climbed|climbs|jumped|jumps|surged|soared"
            "|expanded|advanced|up|an increase of|a rise of|appreciated|appreciates|appreciating"
            "|ballooned|balloons|growth rate of|a growth rate of|surging|soaring|expanding"
            "|climbing|jumping|advancing|widened|widens|widening|went up|goes up|edged up"
            "|inched up|ticked up|revised up|revised upward|revised upwards|strengthened"
            "|an increase by|a rise by|a growth by|increase by|growth by|a growth rate of"
            "|a gain of|a jump of|growth of|a growth of|increase of|rise of|gain of|jump of"
        ),
        1,
    ),
    **dict.fromkeys(
        _words(
            "fell|fall|falls|fallen|falling|decreased|decrease|decreases|declined|declines"
            "|declining|dropped|drops|shrank|shrunk|shrinks|contracted|contracts|slumped"
            "|plunged|plummeted|slid|slipped|sank|tumbled|down|a decline of|a drop of|decline"
            "|lost|loses|losing|depreciated|depreciates|depreciating|went down|goes down"
            "|edged down|inched down|ticked down|narrowed|narrows|narrowing|plunging|sliding"
            "|tumbling|revised down|revised downward|revised downwards|weakened|dipped"
            "|a decrease by|a decline by|a drop by|a reduction by|decrease by|decline by"
            "|a fall of|a decrease of|a reduction of|a cut of"
            "|a contraction of|decline of|drop of|fall of|decrease of|reduction of|cut of"
        ),
        -1,
    ),
    # A change that does not say which way ("by 50 basis points", "a further 25 basis
    # points", "differ almost four times"): the figure is a change (or, with "times", a
    # multiple) and keeps the sign it is written with.
    **dict.fromkeys(_words("by|a further|further|differ|differs|differed|differing"), 0),
}
# Verbs that take an object ("raised $5 billion" in bonds, "cut 5,000 jobs"): a change only
# with "by" ("raised by 25 basis points", "cut by half").
_BY_HEADS: dict[tuple[str, ...], int] = {
    **dict.fromkeys(_words("raised|raise|raises|hiked|hikes"), 1),
    **dict.fromkeys(_words("cut|cuts|reduced|reduces|lowered|lowers"), -1),
    # "inflation eased by 0.3 pp" is a change; "eased 3.2%" may be the level reached
    **dict.fromkeys(_words("eased|eases|easing|slowed|slows|slowing"), -1),
}
# A change word after the figure ("a 38% increase", "12% lower", "$84.5 million more").
_TAILS: dict[tuple[str, ...], int] = {
    **dict.fromkeys(
        _words(
            "increase|increases|rise|growth|gain|jump|surge|hike|higher|more|up|above"
            "|appreciation|larger|bigger|greater|dearer"
        ),
        1,
    ),
    **dict.fromkeys(
        _words(
            "decrease|decline|drop|fall|reduction|cut|contraction|lower|less|fewer|down|slump|below"
            "|devaluation|depreciation|smaller|cheaper"
        ),
        -1,
    ),
}
_COMPARATIVES = frozenset(
    {"more", "less", "fewer", "higher", "lower", "larger", "bigger", "greater", "smaller"}
    | {"cheaper", "dearer"}
)
_AUXILIARIES = _words("has|have|had|was|were|is|are|will|would")
# Verbs that state the level reached, not a change ("reached 5 bcm", "stood at $44 billion").
_LEVEL_VERBS = _words(
    "reached|reaching|totalled|totaled|totalling|totaling|amounted to|amounting to|stood at"
    "|standing at|eased to|slowed to|eased further to|slowed further to|totals|total"
    "|made|makes|constituted|constitutes|comprised|comprises|at the level of|at a level of"
)
_ALL_HEADS = frozenset((*_HEADS, *_LEVEL_VERBS))
# The words a change word before the figure may open with: any other first word opens none.
_FIRST_WORDS = frozenset(words[0] for words in (*_ALL_HEADS, *_BY_HEADS))
_NOTHING_SAID = Said()
# What a change word before the figure says, made once each: the figure is a change (unless
# `relative` reads a multiple, a share or points, each of which it says itself).
_CHANGE_SAID = {
    way: Said(direction=way, verb=True, figure_type=FigureType.CHANGE) for way in (1, -1, 0)
}
# The base of a change, after it ("from a year earlier", "compared to June last year",
# "against 2022"): it says what the change is measured from, and never changes the figure.
_BASE_WORDS = frozenset({"from", "compared", "against", "versus", "vs", "vs."})
_BASE_OPENERS = _BASE_WORDS | {"than"}
_YEAR_ON_YEAR = _words(
    "year - on - year|year on year|yoy|y - o - y|on the year|on the year before"
    "|on the previous year|on a year earlier"
)
# The words an entry of `_YEAR_ON_YEAR` or `_TAILS` ends with: `_cut` looks no further for others.
_LAST_WORDS = frozenset(words[-1] for words in (*_YEAR_ON_YEAR, *_TAILS))
# "y/y", "m/m", "q/q" after a change: written with a slash the tokens do not read.
_BASE_MARKER = re.compile(r"\s+[ymq]/[ymq]$", re.IGNORECASE)
_YEAR = re.compile(r"(?:19|20)\d\d")
_TIMES_SIGN = re.compile(r"(?<=\d)\s?\u00d7")  # the multiplication sign


def strip_base_marker(text: str) -> str:
    """The text without a trailing "y/y", "m/m" or "q/q" (the base of a change), and with a
    multiplication sign after a number written "x" ("2.4" and the sign: a multiple)."""
    if "/" in text:
        text = _BASE_MARKER.sub("", text)
    return _TIMES_SIGN.sub("x", text) if "\u00d7" in text else text


def read_change(tokens: list[Token], original: str) -> tuple[list[Token], Said]:
    """A change word before the figure ("rose by", "down", "a decline of"), or a verb that
    states a level ("rose to", "reached"); "rose from X to Y" is refused."""
    if not tokens or (tokens[0].word not in _FIRST_WORDS and (tokens[0].word,) not in _AUXILIARIES):
        return tokens, _NOTHING_SAID  # no word that opens a change, nor an auxiliary before one
    words = tuple([t.word for t in tokens])
    if words[:1] in _AUXILIARIES and any(words[1 : n + 1] in _ALL_HEADS for n in (1, 2, 3, 4)):
        tokens, words = tokens[1:], words[1:]  # "has grown by", "was up"
    if not words or words[0] not in _FIRST_WORDS:
        return tokens, _NOTHING_SAID
    for n in (4, 3, 2, 1):
        head = words[:n]
        if len(words) <= n:
            continue
        if head in _LEVEL_VERBS:
            return _without_base(tokens[n:], original), _NOTHING_SAID
        rest = tokens[n:]
        direction = _HEADS.get(head)
        if direction is None and rest[0].word == "by":
            direction = _BY_HEADS.get(head)
        if direction is None:
            continue
        if head == ("up",) and rest[0].word == "to":
            return tokens, _NOTHING_SAID  # "up to": a hedge
        if rest[0].word == "from":
            _two_levels(original)
        if rest[0].word == "between" and not _relative_unit(rest):
            # "production to fall between 830,000-880,000 tonnes": where it lands, a level;
            # "fell between 5 and 7 percent" is the change.
            return _without_base(rest, original), _NOTHING_SAID
        if rest[0].word == "by" and len(rest) > 1:
            rest = rest[1:]
        if rest[0].word == "to" and n == 1 and len(rest) > 1:
            return _without_base(rest[1:], original), _NOTHING_SAID  # "rose to 5%": the level
        rest = _without_base(rest, original)
        _no_level_after(rest, original)
        return rest, _CHANGE_SAID[direction]
    return tokens, _NOTHING_SAID


def _relative_unit(tokens: list[Token]) -> bool:
    """Whether a relative unit is written (percent, points, times): the change itself."""
    return any(t.kind is Kind.PERCENT or t.word in RELATIVE_WORDS for t in tokens)


def _two_levels(original: str) -> None:
    raise QuantityError(
        "two_levels",
        f"'{original}' states two levels, before and after, not a range nor one change: "
        "log each level as a claim for its own period, or the change alone ('rose by ...')",
    )


def _without_base(tokens: list[Token], original: str) -> list[Token]:
    """The figure without the base it is measured from: words and years ("from a year
    earlier", "than in 2019") are dropped; a figure ("rose 12% from $4 billion") is refused."""
    if _BASE_OPENERS.isdisjoint([t.word for t in tokens]):
        return tokens
    at = next(
        (
            i
            for i, t in enumerate(tokens)
            if i > 0
            and (
                t.word in _BASE_WORDS
                or (
                    t.word == "than"
                    and tokens[i - 1].word in _COMPARATIVES
                    and any(starts_figure(tokens, j) for j in range(i - 1))
                )
            )
        ),
        None,
    )
    if at is None:
        return tokens
    for j in range(at + 1, len(tokens)):
        if starts_figure(tokens, j) and not _YEAR.fullmatch(tokens[j].text):
            raise QuantityError(
                "two_figures",
                f"'{original}' states a change and the level it was measured from: log them "
                "as two claims, one for the change and one for the level",
            )
    return tokens[:at]


def _no_level_after(tokens: list[Token], original: str) -> None:
    """Refuse "rose 12% to $5.2 billion": a change, then the level it reached ("rose 5 to 7
    percent", one unit written once, is a range)."""
    for k in range(1, len(tokens) - 1):
        before = tokens[k - 1]
        if (
            tokens[k].word == "to"
            and before.kind in (Kind.PERCENT, Kind.WORD)
            and not starts_figure(tokens, k - 1)  # "rose five to seven percent": a range
            and starts_figure(tokens, k + 1)
        ):
            raise QuantityError(
                "two_figures",
                f"'{original}' states a change and the level it reached: log them as two "
                "claims, one for the change and one for the level",
            )


def read_tail(tokens: list[Token], said: Said, original: str) -> tuple[list[Token], Said]:
    """What follows the figure: its base ("year-on-year", "than in 2019": dropped) and a
    change word ("a 38% increase", "12% lower")."""
    n = _cut(tokens, _YEAR_ON_YEAR)
    tokens = _without_base(tokens[: len(tokens) - n] if n else tokens, original)
    if said.direction or said.verb:
        return tokens, said
    n = _cut(tokens, _TAILS)
    # Not "5% or more" (a hedge), nor "three times more" (read by `relative`).
    if n and (
        len(tokens) <= n or tokens[-n - 1].word not in ("or", "and", "times", "time", "twice")
    ):
        direction = _TAILS[tuple(t.word for t in tokens[-n:])]
        tokens = tokens[:-n]
        if len(tokens) > 1 and tokens[0].word in ("a", "an"):
            tokens = tokens[1:]
        return tokens, replace(said, direction=direction, figure_type=FigureType.CHANGE)
    return tokens, said


def _cut(tokens: list[Token], table: set[tuple[str, ...]] | dict[tuple[str, ...], int]) -> int:
    """How many of the last tokens spell an entry of the table (the longest), else 0."""
    longest = min(6, len(tokens) - 1)
    if longest < 1 or tokens[-1].word not in _LAST_WORDS:
        return 0  # no entry of either table ends with this word
    words = tuple([t.word for t in tokens[-longest:]])
    for n in range(longest, 0, -1):
        if words[-n:] in table:
            return n
    return 0
