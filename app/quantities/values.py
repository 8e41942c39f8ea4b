"""Reading figures as written ("$16.5 billion", "more than 4,000") into quantities."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from app.quantities import changes, relative
from app.quantities.errors import QuantityError
from app.quantities.figures import Figure, checked_number, read_figure, starts_figure
from app.quantities.hedges import starts_with_hedge, strip_index, strip_qualifiers
from app.quantities.intervals import Bound, Qualifier
from app.quantities.number_words import SCALES
from app.quantities.quantity import FigureType, Quantity, build, settle_units
from app.quantities.ranges import read_ends, split_range
from app.quantities.scalars import read_scalar
from app.quantities.tokens import Kind, Token, normalise, tokenize
from app.quantities.unit_phrases import read_unit
from app.quantities.units import Unit, lookup_unit, rate, settle_money

__all__ = ["parse_quantity", "parse_value"]

_NON_FINITE = {"nan", "snan", "inf", "infinity", "∞"}
_MINUS_WORDS = {"minus", "negative"}
_PERCENT = lookup_unit("%")


def parse_quantity(text: str, *, default_unit: str | None = None, index: bool = False) -> Quantity:
    """Read a figure as written in the news ("$16.5 billion", "more than 4,000", "$5-7 bn",
    "rose 38%", "doubled", "a quarter").

    ``default_unit`` is the unit to use when the text names none (the metric's unit); without
    it such a figure is a count. ``index`` reads a growth index ("105.3%" -> 5.3); the word
    "index" in the text does the same. The quantity's ``figure_type`` says whether it is a
    level or a change, multiple or share (`relative`). Raises `QuantityError` for anything it
    cannot read.
    """
    original = text.strip() if isinstance(text, str) else ""
    if not original:
        raise QuantityError("empty_value", "the value is empty")
    normalised = changes.strip_base_marker(normalise(original))
    if normalised.lower().lstrip("+-\u2212") in _NON_FINITE:
        raise QuantityError("non_finite", f"'{original}' is not a finite number")
    tokens = tokenize(normalised, original)
    if not tokens:
        raise QuantityError("unreadable_number", f"could not read a number in '{original}'")
    tokens = _without_emphasis(tokens)
    tokens, index_word = strip_index(tokens)
    if not tokens:  # "index" and nothing else
        raise QuantityError("unreadable_number", f"could not read a number in '{original}'")
    if tokens[0].word == "plus":  # "plus 13pct": a sign, as "+" is
        tokens = [Token(Kind.SIGN, "+"), *tokens[1:]]
    tokens, said = changes.read_change(tokens, original)
    tokens, said = changes.read_tail(tokens, said, original)
    tokens, qualifier = strip_qualifiers(tokens, original)
    tokens = _without_mark(tokens)
    tokens, said = relative.read_relative(tokens, said, original)
    signed = bool(tokens) and (
        tokens[0].text == "+" or tokens[0].kind is Kind.DASH or tokens[0].word in _MINUS_WORDS
    )
    if signed and said.direction:
        raise QuantityError(
            "conflicting_sign",
            f"'{original}' gives the direction twice, in words and with a sign: keep the words",
        )
    if said.word is not None:
        figures = [said.word]
    else:
        figures, approx_end = _read_sides(tokens, said, original)
        if approx_end and qualifier in (None, Qualifier.APPROX):
            qualifier = Qualifier.APPROX
    indexed = index or index_word
    if indexed and said.figure_type is not FigureType.LEVEL:
        raise QuantityError(
            "incompatible_units", f"'{original}' is a {said.figure_type}, not a growth index"
        )
    default = lookup_unit(default_unit) if default_unit is not None else None
    annual = _percent_a_year(figures)
    figures = settle_units(figures, said.unit or (_PERCENT if indexed else default), original)
    quantity = build(figures, qualifier, indexed=indexed, text=text, original=original)
    quantity = relative.settle(
        quantity,
        said,
        # A percent a year with a minus is a rate quoted as a level ("-0.5% per annum"); with a
        # plus it is a growth a year, refused below.
        signed=(signed and not (annual and tokens[0].text != "+")) or indexed,
        plus=signed and tokens[0].text == "+",
        indexed=indexed,
        default=default,
        original=original,
    )
    if annual and quantity.figure_type is not FigureType.LEVEL:
        raise QuantityError(
            "unsupported_rate",
            f"'{original}' is a change a year (an average over years), not the change over its "
            "period: log the change over the period, or the yearly rate as a level of a metric "
            "of its own",
        )
    return quantity


# Words that stress a figure and bound nothing ("only 42%", "just 8GW", "around just 74.5%",
# "a mere $5 million"): dropped before a figure, or before a hedge ("only about one-in-five").
# "just" bounds when a hedge word follows it ("just over"): that is the hedge's, kept. An amount
# said to be added ("an additional 281 projects", "an extra £50bn") is the amount: a level of
# what is added (the new projects, the new money), as the labelled paragraphs read it.
_EMPHASIS = frozenset({"only", "merely", "mere", "just", "barely", "extra", "additional", "record"})


def _without_emphasis(tokens: list[Token]) -> list[Token]:
    if _EMPHASIS.isdisjoint(t.word for t in tokens[:5]):
        return tokens
    kept: list[Token] = []
    in_relative = any(t.kind is Kind.PERCENT or t.word in relative.RELATIVE_WORDS for t in tokens)
    for i, token in enumerate(tokens):
        if (
            i < 5  # "increased by a record 10.3 percent"
            and token.word in _EMPHASIS
            and not (in_relative and token.word in ("extra", "additional"))  # "additional 5%"
            and (
                starts_figure(tokens, i + 1)
                or (token.word != "just" and starts_with_hedge(tokens[i + 1 :]))
            )
        ):
            if kept and kept[-1].word in ("a", "an") and token.word != "just":
                kept.pop()  # "a mere $5 million", "an extra £50bn"
            continue
        kept.append(token)
    return kept


# "below the 2.0 million bpd mark", "crossing the 800,000 mark": the figure named as a line.
# Not "the 2019 level": a year is no figure.
_MARKS = frozenset({"mark", "threshold", "milestone"})
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _without_mark(tokens: list[Token]) -> list[Token]:
    marked = len(tokens) > 2 and tokens[0].word == "the" and tokens[-1].word in _MARKS
    if not marked or not starts_figure(tokens, 1):
        return tokens
    year = len(tokens) == 3 and _YEAR.fullmatch(tokens[1].text) is not None
    return tokens if year else tokens[1:-1]


def _percent_a_year(figures: list[Figure]) -> bool:
    """ "5% a year": a level of a rate quoted a year (`units.rate`); a change written so
    ("rose 5% a year") is the average of the years, not the change over the period."""
    units = [f.unit for f in figures if f.unit is not None]
    return bool(units) and units[0].dimension == "percent" and any(f.per for f in figures)


def _read_sides(
    tokens: list[Token], said: relative.Said, original: str
) -> tuple[list[Figure], bool]:
    """The figure, or the two ends of a range, as written; and whether an end was hedged
    with "about" (`read_ends`)."""
    sides = split_range(tokens, original)
    if any(not side for side in sides):
        raise QuantityError("unreadable_number", f"could not read a number in '{original}'")
    to = len(sides) == 2 and tokens[len(sides[0])].word == "to"
    sides, approx_end = read_ends(sides, original)
    figures = [read_figure(side, original) for side in sides]
    if said.unit is not None and any(f.unit not in (None, said.unit) for f in figures):
        raise QuantityError("mixed_units", f"'{original}' names two units")
    if said.scale is not None:
        if any(f.scale is not None for f in figures):
            raise QuantityError("unknown_scale", f"a scale word before basis points: '{original}'")
        figures = [replace(f, scale=said.scale) for f in figures]
    if said.direction and to and figures[0].unit is not None:
        # "rose 12% to $5.2 billion": the change, then the level it reached.
        raise QuantityError(
            "two_figures",
            f"'{original}' states a change and the level it reached: log them as two "
            "claims, one for the change and one for the level",
        )
    if said.direction and any(f.digits < 0 for f in figures):
        raise QuantityError(
            "conflicting_sign",
            f"'{original}' gives the direction twice, in words and with a sign: keep the words",
        )
    return figures, approx_end


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
    scalar = read_scalar(original)
    if scalar is not None:  # "index 2015=100", "ratio": read whole, never with a scale word
        return None, scalar
    tokens = tokenize(normalise(original), original)
    scale: int | None = None
    if tokens and tokens[0].kind is Kind.WORD and tokens[0].word.rstrip(".") in SCALES:
        scale, tokens = SCALES[tokens[0].word.rstrip(".")], tokens[1:]
    elif tokens and tokens[-1].kind is Kind.WORD and tokens[-1].word.rstrip(".") in SCALES:
        scale, tokens = SCALES[tokens[-1].word.rstrip(".")], tokens[:-1]
    found = read_unit(tokens, 0) if tokens else None
    if found is None or found.end != len(tokens):
        raise QuantityError("unknown_unit", f"could not read the unit '{original}'")
    settled = settle_money(found.unit, None, original)
    return scale, settled if found.per is None else rate(settled, found.per, original)


def _figure_from_input(value: Decimal | int | str, unit: Unit, scale: int | None) -> Figure:
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
            figure = read_figure(tokenize(normalise(original), original), original)
        except QuantityError as error:
            # Not as written in the news, but maybe as a machine writes it: "1.65E+10", "NaN".
            try:
                number = Decimal(original)
            except InvalidOperation:
                raise error from None
            number, place = checked_number(number, original)
            return Figure(number, place, scale, unit)
        if figure.unit is not None or figure.per is not None:
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
    number, place = checked_number(Decimal(value), str(value))
    return Figure(number, place, scale, unit)


def parse_value(
    value: Decimal | int | str,
    unit: str,
    bound: Bound = Bound.EXACT,
    *,
    high: Decimal | int | str | None = None,
    figure_type: FigureType | None = None,
) -> Quantity:
    """Read a figure given as value, unit and bound rather than as text.

    The interval follows the same rules as `parse_quantity`; the last digit of ``value`` as
    given sets the half-unit, so pass ``Decimal("16.5")`` with unit "bn USD", or the text
    "16.5 billion", rather than 16500000000 when the figure was rounded. For a range the
    upper end is ``high``. ``figure_type`` says what the value is, when its unit allows more
    than one (`relative.allowed_types`: a value in percent may be a level, a change or a
    share); a change is given with its sign ("fell 12%": -12).
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
    figures = settle_units(figures, written, text)
    qualifier = None if bound is Bound.RANGE else _BOUND_QUALIFIERS[bound]
    quantity = build(figures, qualifier, indexed=False, text=text, original=text)
    return relative.given_type(quantity, figure_type)
