"""Which period each figure of a sentence is of, given the period phrases `when` found in it and
the period the paragraph named before.

A figure takes, in its clause, the first period after it with no other figure between, else the
nearest before it with none between, else the period of the figure before it in the clause
("23.1 trillion tenge, equivalent to 12.6% of GDP": one period for both), else a deadline after
it ("build 5,000 km more by 2029"), else, in a clause opened by "while", the period of the
figure before it, else the period the sentence opens with. "Respectively" pairs the figures with
the periods in the order written (the sentence's, else those of the sentence before). "The same
period (last year)" is the period the paragraph named before (a year back). A sentence that
names no period of its own ("Oil exports also increased ...", "This is 62% more compared to the
same period last year") goes on with the paragraph's period, except for a rate a year ("5.8
million tons annually"); a deadline ("by year-end") and a period compared with are not carried
on. A figure still without one takes the day the claim is made where the sentence says
"currently" or "today", or the period in brackets after "the same period last year", a year on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from app.drafts import cues, when
from app.drafts.extract import Figure
from app.quantities import Period, QuantityError, parse_period

__all__ = ["Assigned", "assign", "carried_on", "claim_words", "listed_periods"]

_BRACKETED = re.compile(r"\([^()]*\)")
_DEADLINE = re.compile(r"(?:by|until|till|before)\s", re.IGNORECASE)
_OPENING_PERIOD = 40
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
# The words that open a clause set against the one before it, ending where the clause starts.
# "..., while the current potential is 80,000 TEU": a clause about now, not the period before.
_PRESENT = re.compile(r"\b(?:current|currently|now|today|at present)\b", re.IGNORECASE)
# A rate a year ("a capacity of 5.8 million tons of cargo annually") stands: it is of no period
# carried from the sentences before.
_PER_YEAR = re.compile(
    r"\S*[^,.;]{0,60}?\b(?:annually|per (?:year|annum)|a year)\b(?! (?:earlier|ago|before|later))",
    re.IGNORECASE,
)
_CONTRAST = re.compile(
    r"\s(?:while|whereas)\s+$", re.IGNORECASE
)  # a period starting this near the sentence's start is all its figures'


@dataclass(frozen=True, slots=True)
class Assigned:
    found: when.Found | None
    carried: bool = False  # from a sentence before


def _shift(period: Period, years: int | None, year: int | None) -> Period | None:
    if period.start is None or period.end is None:
        return None
    try:
        if year is not None:
            start = period.start.replace(year=year + (period.start.year - period.end.year))
            return Period(start, period.end.replace(year=year), period.text)
        back = years or 0
        return Period(
            period.start.replace(year=period.start.year - back),
            period.end.replace(year=period.end.year - back),
            period.text,
        )
    except ValueError:  # the 29th of February a year back
        return None


def _resolve(found: when.Found, before: when.Found | None) -> when.Found | None:
    """ "the same period (last year)": the paragraph's period, moved back a year if said so."""
    if found.same is None and found.same_year is None:
        return found
    if before is None:
        return None
    period = _shift(before.period, found.same, found.same_year)
    return None if period is None else replace(found, period=period)


def _brackets(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _BRACKETED.finditer(text)]


def _inside(spans: list[tuple[int, int]], start: int) -> tuple[int, int] | None:
    return next(((a, b) for a, b in spans if a <= start < b), None)


def _as_own(base: when.Found) -> when.Found:
    """A base read as a figure's own period: "compared [to 2022]" is 2022."""
    core = re.sub(r"^(?:to|with|over|than|from|against)\s+", "", base.text, flags=re.I)
    try:
        read = parse_period(core, reference=base.period.end or date.today())
    except QuantityError:
        read = None
    period = read if read is not None and read.start is not None else base.period
    return replace(base, text=core, period=period, base=False)


def _own(
    text: str,
    i: int,
    figures: list[Figure],
    periods: list[when.Found],
    clause: tuple[int, int],
    got: list[when.Found | None],
    brackets: list[tuple[int, int]],
) -> when.Found | None:
    figure = figures[i]
    where = _inside(brackets, figure.start)
    # A period in brackets is of the figures in the same brackets only ("$994.7 million, 0.5
    # percent less ($1 billion in January-June 2023)"); a figure in brackets after a base is of
    # that base ("5.3 percent decrease compared to 2022 ($6.3 billion)").
    usable = [
        p
        for p in periods
        if not p.base and not p.now and _inside(brackets, p.start) in (None, where)
    ]
    if where is not None and not any(where[0] <= p.start < where[1] for p in usable):
        before = [p for p in periods if p.base and p.end <= where[0] and p.start >= clause[0]]
        if before and not any(before[-1].end <= f.start < where[0] for f in figures):
            return _as_own(before[-1])

    def clear(a: int, b: int) -> bool:
        return not any(f is not figure and a <= f.start < b for f in figures)

    for p in usable:
        if figure.end <= p.start < clause[1] and clear(figure.end, p.start):
            return p
    for p in reversed(usable):
        if clause[0] <= p.start and p.end <= figure.start and clear(p.end, figure.start):
            return p
    if i > 0 and got[i - 1] is not None and figures[i - 1].start >= clause[0]:
        return got[i - 1]
    for p in usable:
        # "reconstruct 11,000 km and build 5,000 km more by 2029": one deadline for both.
        # Not "a year earlier", which is of the figure it follows.
        if figure.end <= p.start < clause[1] and p.same is None:
            return p
    if (
        i > 0
        and got[i - 1] is not None
        and _CONTRAST.search(text, 0, clause[0]) is not None
        and _PRESENT.search(text, clause[0], clause[1]) is None
    ):
        # "Revenue will rise 16% in 2010, while expenditure will grow 18%": the clause set
        # against the one before it is of the same period.
        return got[i - 1]
    first = min(f.start for f in figures)
    opening = [p for p in usable if p.end <= first and p.start < _OPENING_PERIOD]
    return opening[0] if opening else None


def _respectively(
    text: str,
    figures: list[Figure],
    periods: list[when.Found],
    listed: tuple[when.Found, ...],
    brackets: list[tuple[int, int]],
) -> list[Assigned] | None:
    """ "In 2011 and 2012, revenue will grow by X and Y, respectively": the figures outside
    brackets take the periods in the order written, those of the sentence, else those the
    sentence before gave its figures; a figure in brackets takes the one of the figure before
    it. None when the counts differ."""
    if _RESPECTIVELY.search(text) is None:
        return None
    main = [i for i, f in enumerate(figures) if _inside(brackets, f.start) is None]
    own = [
        p
        for p in periods
        if not p.base and not p.now and p.same is None and _inside(brackets, p.start) is None
    ]
    carried = not own
    chosen = own or list(listed)
    if len(main) < 2 or len(chosen) != len(main):
        return None
    out: list[Assigned] = []
    for i in range(len(figures)):
        k = sum(1 for j in main if j <= i) - 1
        out.append(Assigned(chosen[k], carried=carried) if k >= 0 else Assigned(None))
    return out


def _year_on(periods: list[when.Found], brackets: list[tuple[int, int]]) -> when.Found | None:
    """ "$994.7 million, 0.5 percent less compared to the same period last year ($1 billion in
    January-June 2023)": the period in brackets after "the same period last year", a year on,
    is the period of a figure that names none."""
    for k, base in enumerate(periods):
        if not base.base or base.same != 1:
            continue
        for inner in periods[k + 1 :]:
            if inner.same is None and not inner.base and _inside(brackets, inner.start):
                period = _shift(inner.period, -1, None)
                if period is None or period.start is None or period.end is None:
                    return None
                words = f"{period.start.isoformat()} to {period.end.isoformat()}"
                return replace(inner, text=words, period=replace(period, text=words))
        return None
    return None


def listed_periods(figures: list[Figure], assigned: list[Assigned]) -> tuple[when.Found, ...]:
    """The periods of a sentence's figures, each once, in the order written: what a next
    sentence's "respectively" goes through."""
    seen: dict[tuple[int, int], when.Found] = {}
    for a in assigned:
        if a.found is not None and not a.carried and not a.found.now:
            seen.setdefault((a.found.start, a.found.end), a.found)
    return tuple(seen.values())


def assign(
    text: str,
    figures: list[Figure],
    periods: list[when.Found],
    before: when.Found | None,
    listed: tuple[when.Found, ...] = (),
) -> list[Assigned]:
    """Each figure's period, in the order of `figures`; `before` is the paragraph's period,
    `listed` the periods the sentence before gave its figures."""
    usable = [p for p in periods if not p.base and not p.now]
    nows = [p for p in periods if p.now]
    brackets = _brackets(text)
    paired = _respectively(text, figures, periods, listed, brackets)
    if paired is not None:
        return paired
    got: list[when.Found | None] = []
    out: list[Assigned] = []
    for i, figure in enumerate(figures):
        clause = cues.clause(text, figure.start, figure.end)
        found = _own(text, i, figures, periods, clause, got, brackets)
        got.append(found)
        if found is not None and found.same is not None:
            # "... 30,594,981, compared to 27,463,127 in the same period last year": the
            # period named before it in the sentence, else the paragraph's.
            said = [p for p in usable if p.same is None and p.end <= found.start]
            found = _resolve(found, said[-1] if said else before)
        if found is not None:
            out.append(Assigned(found))
        elif nows:
            out.append(Assigned(nows[0]))
        elif (on := _year_on(periods, brackets)) is not None:
            out.append(Assigned(on))
        elif (
            before is not None
            and not [p for p in usable if p.same is None and _inside(brackets, p.start) is None]
            and _PER_YEAR.match(f"{figure.text} {text[figure.end :]}") is None
        ):
            out.append(Assigned(before, carried=True))
        else:
            out.append(Assigned(None))
    return out


def carried_on(
    text: str, figures: list[Figure], assigned: list[Assigned], periods: list[when.Found]
) -> when.Found | None:
    """The period the next sentences go on with: the last one this sentence gave a figure of
    its own, or, in a sentence without figures that leads into a list, the first it names
    ("by 2030:")."""
    brackets = _brackets(text)
    bases = {p.start for p in periods if p.base}
    for figure, a in zip(reversed(figures), reversed(assigned), strict=True):
        found = a.found
        if found is None or a.carried or figure.role == "before":
            continue
        if found.start in bases:
            continue  # "compared to 2022 ($6.3 billion)": what the figures are compared with
        # Not "currently", nor "the same period in 2015" or one in brackets: a comparison;
        # nor a deadline ("by year-end", "until 2035"): the horizon of that figure's goal.
        if (
            not found.now
            and found.same is None
            and _inside(brackets, found.start) is None
            and _DEADLINE.match(found.text) is None
        ):
            return found
    if not figures and text.rstrip().endswith(":"):
        # "It is planned to implement the followings by 2030:" and the list after it.
        return next((p for p in periods if not p.base and not p.now and p.same is None), None)
    return None


def claim_words(found: when.Found, reference: date) -> str:
    """The period as the claim states it: the words when they read the same on their own,
    else the dates ("the same period last year", "currently", "in the fourth quarter")."""
    period = found.period
    try:
        read = parse_period(found.text, reference=reference)
        if read is not None and (read.start, read.end) == (period.start, period.end):
            return found.text
    except QuantityError:
        pass
    if period.start is None or period.end is None:
        return found.text
    if period.start == period.end:
        return period.start.isoformat()
    return f"{period.start.isoformat()} to {period.end.isoformat()}"
