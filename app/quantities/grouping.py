"""The digit-group rule: which marks in a written number group thousands, which one is decimal.

A number may group its digits with commas, points, spaces or apostrophes and mark its decimals
with a comma or a point (`tokens.normalise` has made a typographic quote between digits an
apostrophe, and the British middle dot between digits a point). The rule, for all the numbers of
one text (both ends of a range):

- After a space or an apostrophe come groups of exactly three digits: thousands ("640 000",
  "1'200"). A numeral groups with one mark only, so a comma or point after such groups is the
  decimal mark ("2 500,5", "67 048,821", "1'234.5").
- Two or more commas (or points) group thousands ("1,234,567", "1.234.567"); commas also group
  the Indian way ("1,00,000"). A comma and a point together: the last one is decimal
  ("1,234.5", "1.234,567").
- One or two digits after a lone comma, or more than three, are a decimal part ("1,25 billion"),
  as is anything after a comma that cannot follow thousands ("0,500", "22387,852").
- A lone comma before exactly three digits groups thousands ("6,706") unless the text says the
  comma is its decimal mark (another of its numbers does: "1,500-2,5 billion"); a lone point
  before three digits is a decimal point ("$455.702 million") unless the text says points group.
  Two numbers of one text that mark decimals two ways are refused.
- One reading stays open, and `figures.read_figure` refuses it, as only it sees the scale word
  after the number: a lone point before "000" with no scale word ("1.000-franc notes": three zero
  decimals nobody writes, or a point grouping thousands). A lone comma before three digits and a
  scale word is thousands, as the rule says ("KZT 1,158 billion", as reports of the region write
  sums in tenge); in dollars, euros, pounds and francs, where a thousand billion is written in
  trillions, "$1,340 billion" is refused as the decimal comma it likely is (`figures`).
- A number written without grouping that starts with a year (`GLUED_YEARS`) and goes on with a
  digit other than 0 ("2021100", "20215") may be a year run into a figure; it is refused, as is
  such a year before a decimal comma ("2021,5"). "20000", "204149" and "2021.5" are read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from app.quantities.errors import QuantityError

__all__ = ["GLUED_YEARS", "Numeral", "ambiguous_comma", "ambiguous_point", "read_numerals"]

GLUED_YEARS = range(1990, 2040)
"""Years a figure's digits may have run into ("2021100 tonnes"): the years reporting is about."""

_COMMA, _POINT = ",", "."
_SAYS = {
    "a decimal comma": _COMMA,
    "points grouping thousands": _COMMA,
    "a decimal point": _POINT,
    "commas grouping thousands": _POINT,
}
_DECIMAL = {_COMMA: "a decimal comma", _POINT: "a decimal point"}
_GROUPING = {_COMMA: "commas grouping thousands", _POINT: "points grouping thousands"}
_MARK = re.compile(r"([ ,.'])")
_LEAD = re.compile(r"[1-9]\d{0,2}")  # the first group of a number grouped in thousands
_INDIAN = re.compile(r"[1-9]\d?(?:,\d\d)+,\d{3}")


@dataclass(frozen=True, slots=True)
class Numeral:
    """A number as its digit groups say: its value with the digits written, and how it was read."""

    number: Decimal
    # A lone mark before three digits read by default, nothing in the text saying which it is:
    # "," for a comma read as thousands ("6,706"), "." for a point read as decimal ("1.000").
    guessed: str | None = None


class _Shape(NamedTuple):  # a tuple: made for every number read, at half a dataclass's cost
    raw: str
    whole: str  # the digits before the decimal mark (all of them when `lone` is set)
    fraction: str | None = None  # the digits after the decimal mark
    says: str | None = None  # what this numeral shows of the text's convention, in words
    lone: str | None = None  # a lone comma or point before three digits, read by the text

    @property
    def decimal_mark(self) -> str | None:
        """The decimal mark of the text, as this numeral shows it."""
        return None if self.says is None else _SAYS[self.says]


def read_numerals(raws: Sequence[str], original: str) -> list[Numeral]:
    """Read the numbers of one text (``original``) as their digit groups say, or refuse."""
    if len(raws) == 1:  # one number: nothing else in the text to tell its marks from
        shape = _shape(raws[0], original)
        return [_resolve(shape, shape.decimal_mark)]
    shapes = [_shape(raw, original) for raw in raws]
    telling: dict[str, _Shape] = {}
    for shape in reversed(shapes):
        mark = shape.decimal_mark
        if mark:
            telling[mark] = shape
    if len(telling) > 1:
        comma, point = telling[_COMMA], telling[_POINT]
        first, second = (
            (comma, point) if shapes.index(comma) < shapes.index(point) else (point, comma)
        )
        raise QuantityError(
            "ambiguous_number",
            f"'{first.raw}' ({first.says}) and '{second.raw}' ({second.says}) in '{original}' "
            "write numbers two ways; write both the same way",
        )
    decimal_mark = next(iter(telling), None)
    return [_resolve(shape, decimal_mark) for shape in shapes]


def ambiguous_comma(raw: str, scale: str, original: str) -> QuantityError:
    """The refusal of a comma read by default before a scale word (``scale``) that makes it odd."""
    head, tail = raw.split(_COMMA)
    return QuantityError(
        "ambiguous_number",
        f"'{raw} {scale}' in '{original}' could be {head}.{tail} {scale} (a decimal comma) or "
        f"{head}{tail} {scale} (a comma grouping thousands); write '{head}.{tail} {scale}' or "
        f"'{head} {tail} {scale}'",
    )


def ambiguous_point(raw: str, original: str) -> QuantityError:
    """The refusal of a point read by default as decimal before three zeros ("1.000")."""
    head, tail = raw.split(_POINT)
    return QuantityError(
        "ambiguous_number",
        f"'{raw}' in '{original}' could be {head} (a decimal point) or {head}{tail} (a point "
        f"grouping thousands); write '{head}' or '{head} {tail}'",
    )


def _shape(raw: str, original: str) -> _Shape:
    if raw.isdecimal():  # digits alone (what `\d` matches), as the no-mark case below reads them
        _refuse_glued_year(raw, raw, None, original)
        return _Shape(raw, raw)
    for mark in (_POINT, _COMMA):
        # Digits, one comma or point, digits ("42.5", "5,000"): as the lone mark below reads it.
        head, found, tail = raw.partition(mark)
        if found and head.isdecimal() and tail.isdecimal():
            return _lone_mark(raw, head, mark, tail, original)
    mantissa, _, exponent = raw.lower().partition("e")
    parts = _MARK.split(mantissa)
    groups, marks = parts[0::2], parts[1::2]
    if exponent:
        # Machine notation ("1.65e10") keeps a plain mantissa and says nothing of the text.
        if marks not in ([], [_POINT]):
            raise _malformed(raw, original)
        return _Shape(raw, raw)
    head = groups[0]
    if not marks:
        _refuse_glued_year(raw, head, None, original)
        return _Shape(raw, head)
    if not head:  # ".5"
        if marks != [_POINT]:
            raise _malformed(raw, original)
        return _Shape(raw, "0", groups[1], _DECIMAL[_POINT])
    if marks[0] in " '":
        return _other_grouping(raw, groups, marks, original)
    if not set(marks) <= {_COMMA, _POINT}:
        raise _malformed(raw, original)
    if _COMMA in marks and _POINT in marks:
        last = marks[-1]
        if marks.count(last) != 1 or not _in_thousands(groups[:-1], marks[0]):
            raise _malformed(raw, original)
        return _Shape(raw, "".join(groups[:-1]), groups[-1], _DECIMAL[last])
    mark = marks[0]
    if len(marks) > 1:
        if not _in_thousands(groups, mark):
            raise _malformed(raw, original)
        return _Shape(raw, "".join(groups), None, _GROUPING[mark])
    return _lone_mark(raw, head, mark, groups[1], original)


def _lone_mark(raw: str, head: str, mark: str, tail: str, original: str) -> _Shape:
    """A number with one comma or point between digits."""
    if len(tail) == 3 and _LEAD.fullmatch(head):
        return _Shape(raw, head + tail, lone=mark)
    # The mark cannot group thousands here, so it is the decimal mark.
    _refuse_glued_year(raw, head, mark, original)
    return _Shape(raw, head, tail, _DECIMAL[mark])


def _other_grouping(raw: str, groups: list[str], marks: list[str], original: str) -> _Shape:
    """A number grouped by spaces or apostrophes, with maybe a decimal comma or point after."""
    count = len(marks) - (marks[-1] in ",.")
    grouped = groups[: count + 1]
    if (
        any(mark != marks[0] for mark in marks[:count])
        or not _LEAD.fullmatch(grouped[0])
        or any(len(group) != 3 for group in grouped[1:])
    ):
        raise _malformed(raw, original)
    if count == len(marks):
        return _Shape(raw, "".join(grouped))
    return _Shape(raw, "".join(grouped), groups[-1], _DECIMAL[marks[-1]])


def _in_thousands(groups: Sequence[str], mark: str) -> bool:
    if _LEAD.fullmatch(groups[0]) and all(len(group) == 3 for group in groups[1:]):
        return True
    return mark == _COMMA and _INDIAN.fullmatch(_COMMA.join(groups)) is not None


def _resolve(shape: _Shape, decimal_mark: str | None) -> Numeral:
    if shape.lone is None:
        fraction = "" if shape.fraction is None else f".{shape.fraction}"
        return Numeral(Decimal(shape.whole + fraction))
    head, tail = shape.whole[:-3], shape.whole[-3:]
    guessed = shape.lone if decimal_mark is None else None
    if shape.lone == _COMMA and decimal_mark != _COMMA:
        return Numeral(Decimal(shape.whole), guessed)
    if shape.lone == _POINT and decimal_mark == _COMMA:
        return Numeral(Decimal(shape.whole))
    # A point before "000" is a decimal nobody writes, unless a scale word follows ("$1.000 bn").
    return Numeral(Decimal(f"{head}.{tail}"), guessed if tail == "000" else None)


def _refuse_glued_year(raw: str, whole: str, mark: str | None, original: str) -> None:
    """Refuse an ungrouped whole part that may be a year run into the figure after it."""
    year = int(whole[:4]) if len(whole) >= 4 else 0
    if year not in GLUED_YEARS:
        return
    if len(whole) > 4 and whole[4] != "0":
        rest = raw[len(whole) :]
        fix = f"group its digits ('{int(whole):,}{rest.replace(_COMMA, _POINT)}')"
    elif len(whole) == 4 and mark == _COMMA:
        fix = f"write it '{raw.replace(_COMMA, _POINT)}'"
    else:
        return
    raise QuantityError(
        "ambiguous_number",
        f"'{raw}' in '{original}' may be the year {year} run into {raw[4:].lstrip(_COMMA)}: "
        f"if it is one number, {fix}; a year belongs in the period",
    )


def _malformed(raw: str, original: str) -> QuantityError:
    return QuantityError(
        "unreadable_number",
        f"could not read the number '{raw}' in '{original}': digits are grouped in threes with "
        "one mark ('1,234,567', '1 234 567', '1.234.567', \"1'234'567\") and a number has at "
        "most one decimal mark",
    )
