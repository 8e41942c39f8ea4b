"""What the words around a figure add to its reading, where the figure's own words are silent.

- A percent that is a change by the words before it: "a downturn of 24%", "grew by $3.02
  billion, or 23.7 percent", "an increase in passenger traffic of 11.4%", "up only 9%"; and
  the sign of a bare "by 2.35%" after "cutting losses ... ": the figure is read again with the
  direction said ("down 24%") and the draft says so.
- A percent that is a share by the words around it: "the share of renewable energy to 40
  percent", "accounting for 15% of China's gas need", "as a percentage of GDP ... 3.3 per
  cent": the figure's type becomes share (the claim says "40 percent of the total").
- A scaled number without a unit takes the unit of the figure it is listed with: "14.9
  trillion, 17.3 trillion, and 18.7 trillion tenge", "exports ... 7.056 billion dollars,
  imports - up to 10.957 billion".
"""

from __future__ import annotations

import re
from dataclasses import replace

from app.drafts.extract import Figure
from app.quantities import FigureType, Quantity, QuantityError, parse_quantity

__all__ = ["refine"]

_RISE = r"increase|growth|rise|gain|jump|surge|upturn|hike"
_FALL = r"decrease|decline|drop|fall|downturn|reduction|contraction|slump|slowdown"
# A change noun before the figure, with up to four words between ("increase in passenger
# traffic of"), or "up"/"down" with a hedge ("up only", "down nearly").
_NOUN_BEFORE = re.compile(
    rf"\b(?:(?P<rise>{_RISE})|(?P<fall>{_FALL}))\b(?:\s+[\w'\u2019-]+){{0,4}}?\s+(?:of|by|at)\s*$"
    rf"|\b(?:(?P<up>up)|(?P<down>down))\s+(?:only|just|nearly|almost|about|some|around)\s*$",
    re.IGNORECASE,
)
_NOUN_AFTER = re.compile(
    rf"\s+(?:y-o-y|year-on-year|yoy|annual|annually)\s+(?:(?P<rise>{_RISE})|(?P<fall>{_FALL}))\b",
    re.IGNORECASE,
)
_OR_BEFORE = re.compile(r",?\s+or\s*$")
_GROWTH_REACH = re.compile(r"\bgrowth\b.*\b(?:reach|be|at)\s*$", re.IGNORECASE)
_FALLING_VERB = re.compile(
    r"\b(?:cut|cuts|cutting|reduc\w*|lower\w*|decreas\w*|declin\w*|fell|fall\w*|drop\w*|shrink\w*"
    r"|shrank)\b",
    re.IGNORECASE,
)
_RISING_VERB = re.compile(
    r"\b(?:increas\w*|rais\w*|ris\w*|rose|grow\w*|grew|boost\w*|expand\w*)\b", re.IGNORECASE
)
_SHARE = re.compile(
    r"\bshare\b|\baccount(?:s|ed|ing)?\s+for\b|\bpercentage\s+of\b|\bproportion\b|\bof\s+GDP\b"
    r"|\bof\s+(?:the\s+)?total\b",
    re.IGNORECASE,
)
_SCALED = re.compile(r"(?:trillion|billion|million|thousand|bn|mn|mln|bln|trln)$", re.IGNORECASE)
_LISTED = re.compile(r"^[\s,;]*(?:and|or)?[\s,;]*$")


def _read(text: str) -> Quantity | None:
    try:
        return parse_quantity(text)
    except QuantityError:
        return None


def _with(figure: Figure, words: str, why: str) -> Figure:
    read = _read(words)
    if read is None:
        return figure
    return replace(figure, quantity=read, read_as=words, notices=(*figure.notices, why))


def _change(sentence: str, figures: list[Figure], i: int) -> Figure:
    figure = figures[i]
    before = sentence[max(0, figure.start - 60) : figure.start]
    if i > 0 and _OR_BEFORE.search(sentence[figures[i - 1].end : figure.start]):
        previous = figures[i - 1].quantity
        if previous.figure_type is FigureType.CHANGE:
            way = "down" if previous.value < 0 else "up"
            why = f"read as '{way} {figure.text}': the change it restates before it"
            return _with(figure, f"{way} {figure.text}", why)
    noun = _NOUN_BEFORE.search(before)
    if noun is not None:
        way = "down" if noun.group("fall") or noun.group("down") else "up"
        why = f"read as '{way} {figure.text}': '{noun.group().strip()}' before it"
        return _with(figure, f"{way} {figure.text}", why)
    tail = _NOUN_AFTER.match(sentence, figure.end)
    if tail is not None:
        way = "down" if tail.group("fall") else "up"
        why = f"read as '{way} {figure.text}': '{tail.group().strip()}' after it"
        return _with(figure, f"{way} {figure.text}", why)
    if _GROWTH_REACH.search(before):
        return _with(
            figure, f"up {figure.text}", f"read as a change: growth to reach {figure.text}"
        )
    return figure


def _signed(sentence: str, figure: Figure) -> Figure:
    """ "cutting losses in electricity transmission by 2.35%": the verb gives the sign."""
    if not figure.text.lower().startswith("by ") or figure.quantity.value < 0:
        return figure
    before = sentence[: figure.start]
    falling = list(_FALLING_VERB.finditer(before))
    rising = list(_RISING_VERB.finditer(before))
    if falling and (not rising or falling[-1].start() > rising[-1].start()):
        core = figure.text[3:]
        why = f"read as 'down {core}': '{falling[-1].group()}' before it"
        return _with(figure, f"down {core}", why)
    return figure


def _unit_from(figures: list[Figure], i: int, sentence: str) -> Figure:
    figure = figures[i]
    if figure.quantity.unit != "count" or not _SCALED.search(figure.text):
        return figure
    listed: list[Figure] = []
    for j in range(i + 1, len(figures)):
        if not _LISTED.match(sentence[figures[j - 1].end : figures[j].start]):
            break
        if figures[j].quantity.unit != "count":
            listed = [figures[j]]
            break
    previous = [f for f in reversed(figures[:i]) if f.quantity.unit not in ("count", "percent")]
    for other in listed or previous[:1]:
        if other.quantity.dimension.startswith("money"):
            words = f"{figure.read_as} {other.quantity.unit}"
            why = f"'{figure.text}' read as '{words}': the unit of '{other.text}' next to it"
            return _with(figure, words, why)
    return figure


def _reached_up_to(sentence: str, figure: Figure) -> Figure:
    """ "increase the volume of mutual trade up to USD 2 billion", "rose by 11.1 percent up to
    $12.072 billion": after a rise, "up to" names the level reached, not a ceiling."""
    if not figure.text.lower().startswith("up to ") or figure.quantity.figure_type is not (
        FigureType.LEVEL
    ):
        return figure
    if not _RISING_VERB.search(sentence[max(0, figure.start - 70) : figure.start]):
        return figure
    if not figure.read_as.lower().startswith("up to "):
        return figure
    core = figure.read_as[6:]
    return _with(figure, core, f"read as '{core}': 'up to' after a rise is the level reached")


def refine(sentence: str, figures: list[Figure]) -> list[Figure]:
    """The figures of a sentence with what the words around them add."""
    out = list(figures)
    for i, figure in enumerate(out):
        if figure.role is not None:
            continue
        quantity = figure.quantity
        if quantity.unit == "percent" and quantity.figure_type is FigureType.LEVEL:
            figure = _change(sentence, out, i)
        if figure.quantity.figure_type is FigureType.CHANGE:
            figure = _signed(sentence, figure)
        figure = _unit_from(out, i, sentence) if figure is out[i] else figure
        figure = _reached_up_to(sentence, figure)
        if (
            figure.quantity.unit == "percent"
            and figure.quantity.figure_type is FigureType.LEVEL
            and _SHARE.search(sentence[max(0, figure.start - 80) : figure.end + 40])
        ):
            # The claim says it as a share is written: "40 percent of the total".
            share = replace(figure.quantity, figure_type=FigureType.SHARE)
            words = f"{figure.read_as} of the total"
            figure = replace(figure, quantity=share, read_as=words, typed=True)
        out[i] = figure
    return out
