"""Relative figures told apart from levels: a change ("rose 38%", "down 3 pp"), a multiple
("doubled", "2.4 times") or a share ("a quarter", "40% of"), and refused when the words cannot
tell which (README.md, "Relative figures").

The words are read around the figure in steps, each cutting what it read off the tokens:
`changes.read_change` (a change word before it: "rose by", "down"; or a level's verb: "rose
to"), `changes.read_tail` (after it: "increase", "year-on-year"), then, once the hedges are
off, `read_relative` (what makes it a multiple, a share or a change in points). `settle` gives
the quantity built from the rest its figure type, sign and unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from app.quantities.errors import QuantityError
from app.quantities.figures import Figure, starts_figure
from app.quantities.intervals import ARITHMETIC, Bound, Interval
from app.quantities.number_words import SMALL_NUMBERS, TENS
from app.quantities.quantity import FigureType, Quantity
from app.quantities.tokens import Kind, Token
from app.quantities.unit_table import COUNTED_NOUNS
from app.quantities.units import Unit, lookup_unit

__all__ = [
    "Said",
    "allowed_types",
    "for_metric",
    "given_type",
    "in_metric_unit",
    "read_relative",
    "settle",
    "type_for_metric",
]

PERCENT = lookup_unit("%")
POINTS = lookup_unit("pp")
FACTOR = lookup_unit("factor")
_RELATIVE_DIMENSIONS = frozenset({"percent", "pp", "factor"})


def _words(spellings: str) -> set[tuple[str, ...]]:
    return {tuple(s.split()) for s in spellings.split("|")}


# Multiples named by a verb, a "-fold" word or "times".
_MULTIPLE_WORDS: dict[str, Decimal] = {
    **dict.fromkeys(("double", "doubled", "doubles", "doubling"), Decimal(2)),
    **dict.fromkeys(("triple", "tripled", "triples", "tripling", "treble", "trebled"), Decimal(3)),
    **dict.fromkeys(("quadruple", "quadrupled", "quadruples", "quadrupling"), Decimal(4)),
    **dict.fromkeys(("quintuple", "quintupled"), Decimal(5)),
    **dict.fromkeys(("halve", "halved", "halves", "halving"), Decimal("0.5")),
}
_AUXILIARIES = frozenset({"has", "have", "had", "was", "were", "is", "are", "will", "would"})
_FOLD_NUMBERS = {**SMALL_NUMBERS, **TENS, "hundred": 100, "thousand": 1000}
# After "N times": what keeps it a multiple ("as much"), and what makes it 3x or 4x.
_AS_MUCH = _words("as much|as many|as large|as big|as high|as great|as long|as fast")
# "N times more / higher / larger / bigger / greater" is the factor N: the region's English
# news is mostly translated from Russian "в N раз больше", which means N times as much (the
# "N + 1 times" reading is an English style guide's, not these writers'). "N times less / lower
# / smaller" would be 1/N, which no decimal writes exactly and whose interval is lopsided: it
# stays refused with the words to write instead, as do "times over / above / cheaper / faster".
_TIMES_MORE = frozenset({"more", "higher", "larger", "bigger", "greater"})
_TIMES_AMBIGUOUS = frozenset(
    {"less", "lower", "smaller", "fewer", "over", "above", "cheaper", "faster"}
)

# "N times the amount", "N times last year's budget", "N times that of 2020": N times a
# figure the sentence names; "a nine times jump": a growth N-fold.
_OF_A_FIGURE = frozenset({"the", "its", "their"})
# "three times the year before", "three times that year": how often, not a multiple.
_TIME_WORDS = frozenset({"year", "years", "month", "months", "week", "weeks", "day", "days"})
_TIME_WORDS |= {"season", "seasons", "time", "times", "quarter", "quarters", "decade"}
_GROWTH_NOUNS = _words("jump|increase|rise|growth|surge")
_TIMES_WORDS = frozenset({"times", "time", "twice"})
_POINT_WORDS = _words("percentage points|percentage point|pp|pp.|ppt|ppts|p. p.|p. p")
_BASIS_POINT_WORDS = _words("basis points|basis point|bp|bps")
_POINTS_LAST = frozenset(words[-1] for words in (*_POINT_WORDS, *_BASIS_POINT_WORDS))

# Fractions: "a quarter", "two-fifths", "half" (as a percent of the whole).
_DENOMINATORS: dict[str, int] = {
    **dict.fromkeys(("half", "halves"), 2),
    **dict.fromkeys(("third", "thirds"), 3),
    **dict.fromkeys(("quarter", "quarters", "fourth", "fourths"), 4),
    **dict.fromkeys(("fifth", "fifths"), 5),
    **dict.fromkeys(("sixth", "sixths"), 6),
    **dict.fromkeys(("eighth", "eighths"), 8),
    **dict.fromkeys(("tenth", "tenths"), 10),
}
_PERCENT_WORDS = frozenset({"percent", "cent", "pct"})
# The words of a figure that is relative whatever else is written: a percent, points, a
# multiple ("fell between 5 and 7 per cent", "between 1 and 2 ppts", "between 2 and 3 times").
RELATIVE_WORDS = frozenset(
    {*_PERCENT_WORDS, *(w for words in (*_POINT_WORDS, *_BASIS_POINT_WORDS) for w in words)}
    | {"points", "point", "times", "time", "twice", "fold", "x"}
)
_NUMERATORS = {"a": 1, "an": 1, "one": 1, **{w: n for w, n in SMALL_NUMBERS.items() if n}}


@dataclass(frozen=True, slots=True)
class Said:
    """What the words around a figure say it is."""

    direction: int = 0  # 1 a rise, -1 a fall, 0 not said
    verb: bool = False  # a change word was written before the figure ("grew 3 times")
    figure_type: FigureType = FigureType.LEVEL
    unit: Unit | None = None  # the unit the words name (pp, factor), else the figure's own
    scale: int | None = None  # -2: basis points
    word: Figure | None = None  # a figure named by words alone: "doubled", "a third"


def read_relative(tokens: list[Token], said: Said, original: str) -> tuple[list[Token], Said]:
    """What makes the figure a multiple, a share or a change in points (hedges already cut)."""
    a_figure = len(tokens) > 2 and tokens[1].kind in (Kind.NUMBER, Kind.CURRENCY)
    if said.direction and a_figure and tokens[0].word in ("a", "an"):
        tokens = tokens[1:]  # "more than a 30 percent increase"
    words = [t.word for t in tokens]
    if not _TIMES_WORDS.isdisjoint(words) or words[-1:] == ["x"]:
        before, twice = _times(tokens, said, original)
        return _multiple(before, twice, said, original)
    named = _named_multiple(words)
    if named is not None:
        return _multiple([], _word_figure(named, FACTOR), said, original)
    if len(words) > 2 and words[-1] == "share" and words[0] in ("a", "an"):
        # "an 18.1% share": the figure is a share of a whole the sentence names.
        tokens, words = tokens[1:-1], words[1:-1]
        if tokens[-1].kind is Kind.PERCENT or words[-1] in _PERCENT_WORDS:
            return tokens, replace(said, figure_type=FigureType.SHARE, unit=PERCENT)
        raise QuantityError("unknown_unit", f"a share is a percent, not '{original}'")
    fold = _fold(tokens) if words and words[-1].endswith("fold") else None
    if fold is not None:
        return _multiple(fold, None, said, original)
    for table, scale in ((_POINT_WORDS, None), (_BASIS_POINT_WORDS, -2)):
        n = _cut(tokens, table)
        if n:
            points = FigureType.CHANGE
            part = _point_fraction(tokens[:-n]) if scale is None else None
            if part is not None:  # "a quarter percentage point", "half a percentage point"
                word = _word_figure(part, POINTS)
                return [], replace(said, figure_type=points, unit=POINTS, word=word)
            return tokens[:-n], replace(said, figure_type=points, unit=POINTS, scale=scale)
    # "40% of", "two thirds of the crude reserves": what follows "of" names the whole.
    of = words.index("of") if "of" in words[1:] else None
    if of is not None and _whole_of(tokens, of):
        tokens = tokens[:of]
    share = len(tokens) < len(words)
    fraction = _fraction(tokens)
    if fraction is not None:
        kind = FigureType.CHANGE if said.direction else FigureType.SHARE
        return [], replace(said, figure_type=kind, unit=PERCENT, word=fraction)
    if share:
        if said.direction:
            raise QuantityError("unknown_unit", f"could not read 'of' in '{original}'")
        return tokens, replace(said, figure_type=FigureType.SHARE, unit=PERCENT)
    # A change word with no way ("by 19 percent") makes a change as much as "rose" does.
    kind = FigureType.CHANGE if said.direction or said.verb else FigureType.LEVEL
    return tokens, said if kind is said.figure_type else replace(said, figure_type=kind)


def _named_multiple(words: list[str]) -> Decimal | None:
    """The factor of "doubled", "has doubled", "double the volume" (what follows "the" names
    the thing multiplied); None when the words are no named multiple."""
    if len(words) > 1 and words[0] in _AUXILIARIES:
        words = words[1:]
    if not words or words[0] not in _MULTIPLE_WORDS:
        return None
    if len(words) == 1 or (words[1] == "the" and len(words) > 2):
        return _MULTIPLE_WORDS[words[0]]
    return None


def _whole_of(tokens: list[Token], of: int) -> bool:
    """Whether "of" at ``of`` names the whole of a share: after a percent or a fraction, with
    no figure after it ("40% of exports", not "$5 billion of investment" nor "5 of the 10")."""
    before = tokens[of - 1]
    share = before.kind is Kind.PERCENT or before.word in _PERCENT_WORDS
    if not (share or _fraction(tokens[:of]) is not None):
        return False
    return not any(starts_figure(tokens, j) for j in range(of + 1, len(tokens)))


def _cut(tokens: list[Token], table: set[tuple[str, ...]]) -> int:
    """How many of the last tokens spell an entry of the table (the longest), else 0."""
    longest = min(3, len(tokens) - 1)
    if longest < 1 or tokens[-1].word not in _POINTS_LAST:
        return 0  # no entry of either table of points ends with this word
    words = tuple([t.word for t in tokens[-longest:]])
    for n in range(longest, 0, -1):
        if words[-n:] in table:
            return n
    return 0


def _word_figure(value: Decimal, unit: Unit) -> Figure:
    # A multiple or fraction named by a word ("doubled", "a third") is a rounded figure: it
    # stands for X within 5 %, as "about X" does (the half-unit is 5 % of X).
    return Figure(value, ARITHMETIC.divide(value, 10), None, unit, full_number=True)


def _times(tokens: list[Token], said: Said, original: str) -> tuple[list[Token], Figure | None]:
    """The number before "times" ("Nx", "3.6-time"), or the figure of "twice", once sure it
    is a multiple: not a count of events, not "N times more" (N or N + 1 times?)."""
    words = [t.word for t in tokens]
    at = next(i for i, w in enumerate(words) if w in ("times", "time", "twice", "x"))
    after = tuple(words[at + 1 :])
    if len(after) == 1 and after[0] in _TIMES_MORE:
        after = ()  # "40 times more": N times as much (see _TIMES_MORE)
        more = True
    else:
        more = False
    if after and (after[0] in _TIMES_AMBIGUOUS or (after[0] == "as" and after not in _AS_MUCH)):
        raise QuantityError(
            "ambiguous_multiple",
            f"'{original}': '{words[at]} {' '.join(after)}' is read as N times by some writers "
            "and N + 1 times (or 1/N) by others; write 'N times as much', 'Nx' or the change "
            "in percent",
        )
    of_figure = (
        len(after) > 1
        and _TIME_WORDS.isdisjoint(after)
        and (after[0] in _OF_A_FIGURE or any(w.endswith(("'s", "\u2019s")) for w in after))
    ) or after in _GROWTH_NOUNS  # "nine times the amount", "four times last year's budget"
    if of_figure:
        after = ()  # "nine times the amount", "four times last year's budget", "a 9 times jump"
    if after and after not in _AS_MUCH:
        raise QuantityError(
            "counts_events",
            f"'{original}' counts how often something happened ('... {words[at]} "
            f"{' '.join(after)}'), it is no multiple of a figure: log the figure itself",
        )
    before = tokens[:at]
    if words[at] == "time":  # "3.6-time": only joined to its number is it a multiple
        if len(before) < 2 or before[-1].kind not in (Kind.DASH, Kind.HYPHEN):
            raise QuantityError("unknown_unit", f"could not read 'time' in '{original}'")
        before = before[:-1]
    decimal = any(t.kind is Kind.NUMBER and "." in t.text for t in before)
    if not (words[at] in ("x", "time") or decimal or said.verb or after or more or of_figure):
        raise QuantityError(
            "ambiguous_times",
            f"'{original}' may count events ('three times this year') or be a multiple "
            "('grew three times'): write it as 'tripled', '3x', '3-fold' or 'grew 3 times'",
        )
    if words[at] == "twice":
        if before:
            raise QuantityError("unreadable_number", f"could not read '{original}'")
        return [], Figure(Decimal(2), Decimal(1), None, FACTOR, full_number=True)
    return before, None


def _fold(tokens: list[Token]) -> list[Token] | None:
    """The number of "sixfold", "six-fold", "2.4-fold" as tokens; None when there is none."""
    if not tokens:
        return None
    last = tokens[-1].word
    if last == "fold" and len(tokens) > 1:
        rest = tokens[:-1]
        if rest[-1].kind in (Kind.DASH, Kind.HYPHEN) and len(rest) > 1:
            rest = rest[:-1]
        return rest
    if last.endswith("fold") and last[:-4] in _FOLD_NUMBERS:
        return [*tokens[:-1], Token(Kind.NUMBER, str(_FOLD_NUMBERS[last[:-4]]))]
    return None


def _multiple(
    tokens: list[Token], word: Figure | None, said: Said, original: str
) -> tuple[list[Token], Said]:
    if said.direction < 0:
        raise QuantityError(
            "ambiguous_multiple",
            f"'{original}': a fall by a multiple is read two ways (to a third, or by two "
            "thirds): write the fall in percent ('fell 67%') or the factor ('0.33x')",
        )
    multiple = FigureType.MULTIPLE
    return tokens, replace(said, direction=0, figure_type=multiple, unit=FACTOR, word=word)


def _fraction(tokens: Sequence[Token]) -> Figure | None:
    """ "a quarter", "two-fifths", "half", "one in five" as a percent of the whole."""
    words = [t.word for t in tokens if t.kind is not Kind.HYPHEN]
    if len(words) == 1 and words[0] == "half":
        words = ["a", "half"]
    part: int | None = None
    whole: int | None = None
    if len(words) == 2 and words[0] in _NUMERATORS and words[1] in _DENOMINATORS:
        part, whole = _NUMERATORS[words[0]], _DENOMINATORS[words[1]]
    elif len(words) >= 3 and words[1] == "in":
        part, whole = _of_people(words[0], words[2], words[3:])
    elif len(words) >= 4 and words[1:3] == ["out", "of"]:
        at = 4 if words[3] == "every" else 3  # "two out of every three children"
        if len(words) > at:
            part, whole = _of_people(words[0], words[at], words[at + 1 :])
    if part is None or whole is None or not 0 < part <= whole <= 1000:
        return None
    share = ARITHMETIC.divide(Decimal(100 * part), Decimal(whole))
    return _word_figure(share.quantize(Decimal("0.01")).normalize(), PERCENT)


def _of_people(part: str, whole: str, after: Sequence[str]) -> tuple[int | None, int | None]:
    """ "one in four", "1 in 3 children", "nine in ten Kazakh households": the share, when
    what follows the whole is at most two words naming who (not a number nor a scale)."""
    if len(after) > 2 or (after and after[-1] not in COUNTED_NOUNS):
        return None, None  # "one in 100 years", "one in 50 kilometres": no share of people
    return _count(part), _count(whole)


def _point_fraction(tokens: Sequence[Token]) -> Decimal | None:
    """ "a quarter", "half a", "three quarters of a" (percentage point): the fraction."""
    words = [t.word for t in tokens if t.kind is not Kind.HYPHEN]
    if words[-2:] == ["of", "a"]:
        words = words[:-2]
    elif words[-2:] == ["half", "a"]:
        words = words[:-1]
    if words in (["half"], ["a", "half"]):
        words = ["a", "half"]
    if len(words) != 2 or words[0] not in _NUMERATORS or words[1] not in _DENOMINATORS:
        return None
    part, whole = _NUMERATORS[words[0]], _DENOMINATORS[words[1]]
    if whole not in (2, 4):  # "a third of a point" has no end to its digits
        return None
    if not 0 < part < whole:
        return None
    return ARITHMETIC.divide(Decimal(part), Decimal(whole)).normalize()


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMERATORS.get(word) if word not in ("a", "an") else None


def settle(
    quantity: Quantity,
    said: Said,
    *,
    signed: bool,
    plus: bool = False,
    indexed: bool = False,
    default: Unit | None,
    original: str,
) -> Quantity:
    """The quantity with the figure type, unit and sign the words give it."""
    kind = said.figure_type
    # "3 pp" is a change and "2 factor" a multiple, however written.
    for unit, its in ((POINTS, FigureType.CHANGE), (FACTOR, FigureType.MULTIPLE)):
        if quantity.unit == unit.canonical and kind is not its:
            if kind is not FigureType.LEVEL:
                raise QuantityError(
                    "incompatible_units", f"'{original}' in {unit.canonical} is no {kind}"
                )
            kind = its
    if kind is FigureType.SHARE and quantity.unit != PERCENT.canonical:
        raise QuantityError(
            "unknown_unit",
            f"a share is a percent or a fraction ('40% of', 'a third'), not '{original}'",
        )
    if kind is FigureType.LEVEL and _signed_change(quantity, signed, plus, default, indexed):
        kind = FigureType.CHANGE
    # In words only: "+150.1 percent" beside "+81.7 percent" is a rise, signed as one.
    worded = said.direction > 0 or (said.verb and said.direction == 0)
    if kind is FigureType.CHANGE and worded and _growth_index(quantity):
        raise QuantityError(
            "ambiguous_change",
            f"'{original}' may be a growth index, as the region's statistics write it in "
            f"English (109.2% of the year before: a rise of 9.2%), or a rise of that much: "
            "write the change ('+9.2%') or the index ('index 109.2%')",
        )
    if kind is not quantity.figure_type:  # a replace re-checks every field: only for a change
        quantity = replace(quantity, figure_type=kind)
    return _negated(quantity) if said.direction < 0 else quantity


def _growth_index(quantity: Quantity) -> bool:
    """ "increased by 109.2 percent", "growth of 105.3%": a rise of over 100 and under 200
    percent written to a tenth, as Russian and Central Asian statistics write an index of the
    year before ("109.2% of"). Whole numbers ("rose by 150%") are read as written."""
    value = quantity.value
    return (
        quantity.unit == PERCENT.canonical
        and Decimal(100) < value < Decimal(200)
        and value != value.to_integral_value()
    )


def _signed_change(
    quantity: Quantity, signed: bool, plus: bool, default: Unit | None, indexed: bool
) -> bool:
    """Whether a sign written before the figure makes it a change. A writer puts "+" before a
    figure only to say it rose ("+31%", "+$2.8 billion"), and "-" before a percent to say it
    fell ("-3%"); but of a metric itself measured in percent, points or a factor (a growth
    rate, a share) a signed figure is that rate's level ("GDP growth: -3%"), and "-" before
    money or tonnes is a negative level (a deficit, a net outflow: "-$2 billion"). A growth
    index ("105.3%") is a change only of a metric known not to be in percent."""
    if not signed or (default is not None and default.dimension in _RELATIVE_DIMENSIONS):
        return False
    if indexed and not plus:
        return default is not None and quantity.unit == PERCENT.canonical
    return plus or quantity.unit == PERCENT.canonical


# The figure types a unit may carry: points are only ever a change, a factor a multiple, a
# share is a percent; a level or a change may be in any other unit.
def allowed_types(unit: str) -> tuple[FigureType, ...]:
    """The figure types a value in this canonical unit may have, the first its default."""
    if unit == POINTS.canonical:
        return (FigureType.CHANGE,)
    if unit == FACTOR.canonical:
        return (FigureType.MULTIPLE,)
    if unit == PERCENT.canonical:
        return (FigureType.LEVEL, FigureType.CHANGE, FigureType.SHARE)
    return (FigureType.LEVEL, FigureType.CHANGE)


def given_type(quantity: Quantity, given: FigureType | None) -> Quantity:
    """A value given as value + unit, with the figure type given beside it (or the unit's)."""
    allowed = allowed_types(quantity.unit)
    if given is None:
        return replace(quantity, figure_type=allowed[0])
    if given not in allowed:
        names = " or ".join(allowed)
        raise QuantityError(
            "incompatible_figure_type",
            f"a value in {quantity.unit} is a {names}, not a {given}",
        )
    return replace(quantity, figure_type=given)


_FLIPPED = {
    Bound.AT_LEAST: Bound.AT_MOST,
    Bound.AT_MOST: Bound.AT_LEAST,
    Bound.MORE_THAN: Bound.LESS_THAN,
    Bound.LESS_THAN: Bound.MORE_THAN,
}


def _negated(quantity: Quantity) -> Quantity:
    """A fall: the value and interval turned about zero ("fell by more than 12%": < -12)."""
    interval = quantity.interval

    def minus(x: Decimal | None) -> Decimal | None:
        return None if x is None else ARITHMETIC.subtract(Decimal(0), x)

    return replace(
        quantity,
        value=ARITHMETIC.subtract(Decimal(0), quantity.value),
        bound=_FLIPPED.get(quantity.bound, quantity.bound),
        interval=Interval(
            minus(interval.high), minus(interval.low), interval.high_open, interval.low_open
        ),
    )


def for_metric(quantity: Quantity, dimension: str | None) -> Quantity:
    """The quantity as a figure of a metric of this dimension (`type_for_metric`)."""
    return replace(quantity, figure_type=type_for_metric(quantity.figure_type, dimension))


def type_for_metric(figure_type: str, dimension: str | None) -> FigureType:
    """A share of a thing measured in percent is that thing's level ("a quarter" of a metric
    that is itself a share), so it is compared with the metric's other levels."""
    if figure_type == FigureType.SHARE and dimension == PERCENT.dimension:
        return FigureType.LEVEL
    return FigureType(figure_type)


def in_metric_unit(figure_type: str, dimension: str) -> bool:
    """Whether a figure is in its metric's own unit: a level, or a change written in it
    ("rose by $5 billion"); a change in percent or points, a multiple and a share are not."""
    if figure_type == FigureType.LEVEL:
        return True
    return figure_type == FigureType.CHANGE and dimension not in _RELATIVE_DIMENSIONS
