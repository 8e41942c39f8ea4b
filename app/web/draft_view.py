"""The draft claims page's view: the pasted text cut into pieces (plain, a figure drafted, digits
skipped and why), and a row a draft with the analyst's edits, the proposals to choose from and
the problems found. Display only: what a figure, a period or a kind IS is read by `app.drafts`
and the claims' intake; this lays out what they answered."""

from dataclasses import dataclass, field
from typing import Any

from app.core.errors import FieldProblem
from app.drafts.models import Draft, Proposed, Skipped, Span
from app.web import readings

# The reasons `app.drafts` gives for digits that are no figure, in words for the page's title.
SKIPPED_WHY = {
    "year": "a year used as a date",
    "date": "part of a date",
    "ordinal": "an ordinal (a rank or a meeting's number)",
    "period_number": "a number inside a period phrase",
    "name": "part of a name",
    "phone": "a phone number",
    "article_number": "an article or law number",
    "list_number": "a list number",
    "time": "a time of day",
    "url": "part of a web address",
    "duration": "a duration",
    "unreadable": "not readable as a figure",
}
# The claim's fields a row edits, as `POST /claims:bulk` names them.
EDITED = ("value_text", "period", "kind", "entity", "metric", "stated_by", "basis")


@dataclass(frozen=True)
class Piece:
    """A stretch of the text: plain (draft and why None), a figure (its draft's number from 1),
    or digits skipped (why, in words)."""

    text: str
    draft: int | None = None
    why: str | None = None


def pieces(text: str, figures: list[Span], skipped: list[Skipped]) -> list[Piece]:
    """The text cut at each figure and each skipped span, in order; of two that overlap, the
    first (a figure before skipped digits at the same start) is kept."""
    marks: list[tuple[int, int, int | None, str | None]] = [
        (f.start, f.end, number, None) for number, f in enumerate(figures, start=1)
    ]
    marks += [(s.span.start, s.span.end, None, SKIPPED_WHY.get(s.why, s.why)) for s in skipped]
    marks.sort(key=lambda m: (m[0], m[2] is None, -m[1]))  # at one start: a figure first
    out: list[Piece] = []
    at = 0
    for start, end, number, why in marks:
        if start < at or end <= start:
            continue
        if start > at:
            out.append(Piece(text[at:start]))
        out.append(Piece(text[start:end], number, why))
        at = end
    if at < len(text):
        out.append(Piece(text[at:]))
    return out


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def choices(proposed: Proposed | None, what: str) -> list[Choice]:
    """The proposals as a select's options: the best first, then its alternatives; a known
    record by its slug, a new name by itself (as the draft's claim names them)."""
    if proposed is None:
        return [Choice("", f"choose an {what}, or type a new name")]
    best = Choice(
        proposed.name if proposed.new else proposed.slug,
        f"{proposed.name} (new)"
        if proposed.new
        else f"{proposed.name} ({proposed.slug}, {proposed.confidence:.0%})",
    )
    out = [best]
    for alt in proposed.alternatives:
        value = alt.slug if alt.id is not None else alt.name
        if all(c.value != value for c in out):
            known = f"{alt.slug}, {alt.confidence:.0%}" if alt.id is not None else "new"
            out.append(Choice(value, f"{alt.name} ({known})"))
    return out


@dataclass
class Row:
    """A draft as its row shows it: the values sent (edited or as drafted), how they read."""

    number: int
    draft: Draft
    values: dict[str, str]
    taken: bool = True
    entities: list[Choice] = field(default_factory=list)
    metrics: list[Choice] = field(default_factory=list)
    read_as: str = ""
    period_dates: str = ""
    problems: dict[str, str] = field(default_factory=dict)


def _interval(d: Draft) -> str:
    return readings.interval(d.low, d.high, d.low_open, d.high_open, d.unit)


def _with(options: list[Choice], value: str) -> list[Choice]:
    """The options, with the value sent among them (a name kept from an earlier edit)."""
    if value and all(c.value != value for c in options):
        return [*options, Choice(value, value)]
    return options


def row(number: int, draft: Draft, edits: dict[str, str] | None, taken: bool) -> Row:
    """A draft's row: as drafted, or with the values the analyst sent (`edits`)."""
    claim = draft.claim
    values = {name: str(claim.get(name) or "") for name in EDITED}
    if draft.entity is None:
        values["entity"] = ""  # no entity found: the analyst chooses one
    values["entity_new"] = values["metric_new"] = ""
    if edits is not None:
        values.update(edits)
    return Row(
        number=number,
        draft=draft,
        values=values,
        taken=taken,
        entities=_with(choices(draft.entity, "entity"), values["entity"]),
        metrics=_with(choices(draft.metric, "metric"), values["metric"]),
        read_as=_interval(draft),
        period_dates=readings.span(draft.period_start, draft.period_end),
    )


def claim_of(r: Row) -> dict[str, Any]:
    """The draft's claim with the row's edits: what is confirmed, as `POST /claims:bulk` takes it
    (an empty period or basis left out; any other empty field is sent, for the API to refuse)."""
    claim = dict(r.draft.claim)
    v = r.values
    for name in ("value_text", "kind", "stated_by"):
        claim[name] = v[name].strip()
    claim["entity"] = (v["entity_new"] or v["entity"]).strip()
    claim["metric"] = (v["metric_new"] or v["metric"]).strip()
    for name in ("period", "basis"):
        claim.pop(name, None)
        if v[name].strip():
            claim[name] = v[name].strip()
    return claim


def column(path: str) -> str:
    """The row's field for a field a row's problem names (`[2].entity` -> entity)."""
    name = path.split(".", 1)[1] if "." in path else ""
    name = name.split(".", 1)[0]
    if name in EDITED:
        return name
    if name in ("value", "unit", "figure_type", "bound"):
        return "value_text"
    return "row"


def place_problems(sent: list[Row], problems: list[FieldProblem]) -> None:
    """Each problem of the batch beside its field, in the row it came from (`sent[row - 1]`)."""
    for p in problems:
        if p.row is None or not 1 <= p.row <= len(sent):
            continue
        sent[p.row - 1].problems.setdefault(column(p.field or ""), p.problem)
