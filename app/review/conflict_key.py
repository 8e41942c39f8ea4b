"""The conflict key: claims are compared only within one key, the same entity, metric, period,
figure type and kind class. Its Python form (a claim's key, and the group key of its conflict
flag) and its SQL form (the claims on a key) are both written here, and nowhere else.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, Protocol

import orjson
from sqlalchemy import Date, Integer, String, and_, or_
from sqlalchemy.sql.type_api import TypeEngine
from sqlmodel import col

from app.claims.models import Claim, ClaimKind
from app.quantities import FigureType

# Kinds that may be compared with each other: what happened is compared with what happened,
# forecasts with forecasts, promises with promises.
KIND_CLASSES: dict[str, str] = {
    ClaimKind.ACTUAL.value: "observed",
    ClaimKind.ESTIMATE.value: "observed",
    ClaimKind.PROJECTION.value: "forecast",
    ClaimKind.TARGET.value: "goal",
    ClaimKind.COMMITMENT.value: "goal",
}
KINDS_IN_CLASS: dict[str, tuple[str, ...]] = {
    cls: tuple(k for k, c in KIND_CLASSES.items() if c == cls) for cls in set(KIND_CLASSES.values())
}


class Keyed(Protocol):
    """What the key reads of a claim (a `Figure`, a `Claim`, a selected row)."""

    @property
    def entity_id(self) -> int: ...
    @property
    def metric_id(self) -> int: ...
    @property
    def period_start(self) -> date | None: ...
    @property
    def period_end(self) -> date | None: ...
    @property
    def figure_type(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def period_from_said(self) -> bool: ...


KeyValues = tuple[int, int, date | None, date | None, str]
Key = tuple[int, int, date | None, date | None, str, str]


def key_start(f: Keyed) -> date | None:
    """The start of a claim's period as the key reads it. A period that starts on the day the
    claim was made and runs on from it ("$10 billion to 2030", "by the end of next year") has
    no start of its own: the horizon, said again on another day, is the same period, so such
    claims are compared with each other (and with "by 2030" said after it, which has no
    start). The period itself is kept as read: a target's progress counts from that day.
    (The period reader says which periods these are: `Period.from_said`, stored on the claim.)"""
    return None if f.period_from_said else f.period_start


def key_values(f: Keyed) -> KeyValues:
    """A claim's values of the key's columns (`KEY_COLUMNS`), in their order: its key but the
    kind class, which SQL reads as a list of kinds (`kinds_compared`)."""
    return (f.entity_id, f.metric_id, key_start(f), f.period_end, str(f.figure_type))


def key(f: Keyed) -> Key:
    """Claims are only ever compared within one key: same thing, same period, same figure type
    (a change is never compared with a level), same kind class."""
    return (*key_values(f), KIND_CLASSES[f.kind])


def comparison_key(f: Keyed) -> str:
    """`key` written out: the group key of a claim's conflict flag. A level's key does not
    name its figure type, so the keys of the flags opened before figure types stay valid."""
    entity_id, metric_id, start, end, figure_type, kind_class = key(f)
    first = start.isoformat() if start else "-"
    last = end.isoformat() if end else "-"
    typed = "" if figure_type == FigureType.LEVEL else f":{figure_type}"
    return f"{entity_id}:{metric_id}:{first}:{last}:{kind_class}{typed}"


def moved_key(group_key: str, *, entity_id: int | None = None, metric_id: int | None = None) -> str:
    """`comparison_key` text of a key whose entity or metric was merged into another."""
    entity, metric, rest = group_key.split(":", 2)
    return f"{entity_id or entity}:{metric_id or metric}:{rest}"


def kinds_compared(figures: Iterable[Keyed]) -> list[str]:
    """Every kind in the kind classes of these claims: the kinds to read on their keys."""
    return sorted({k for f in figures for k in KINDS_IN_CLASS[KIND_CLASSES[f.kind]]})


# --- the key in SQL -------------------------------------------------------------------------
# The kind class is read as `kind IN (kinds_compared(...))` beside these columns, and the rows
# read are grouped by `comparison_key`, which splits classes read together.

KEY_COLUMNS: tuple[tuple[str, TypeEngine[Any]], ...] = (
    ("entity_id", Integer()),
    ("metric_id", Integer()),
    ("period_start", Date()),
    ("period_end", Date()),
    ("figure_type", String()),
)
"""The claims' columns of the key, in order, each with its type (the comparison index's)."""

KeyPart = Any  # a value, a bound parameter or a column; None: the claim has none


def _named(parts: Sequence[KeyPart]) -> dict[str, KeyPart]:
    """The key's parts (but its kind class) by the names of their columns."""
    return dict(zip((name for name, _ in KEY_COLUMNS), parts, strict=True))


def on_key(
    entity_id: KeyPart, metric_id: KeyPart, start: KeyPart, end: KeyPart, figure_type: KeyPart
) -> Any:
    """The claims on one key (but its kind class); a part None is read as IS NULL (which is
    how SQLAlchemy writes `column == None`), but a start None with an end: that is the key of
    the periods that start on the day they were said, too (`key_start`). The claims read may
    be more than the key's (a dated key also finds a horizon that started on that date):
    callers group them by `comparison_key`."""
    parts = _named((entity_id, metric_id, start, end, figure_type))
    terms = [col(getattr(Claim, name)) == part for name, part in parts.items()]
    if start is None and end is not None:
        terms[2] = or_(col(Claim.period_start).is_(None), col(Claim.period_from_said).is_(True))
    return and_(*terms)


def on_key_text(claims: str, part: Callable[[str], str]) -> str:
    """`on_key` of dated keys as SQL text for a statement written by hand: `claims` is the
    claims table's name in it, `part(column)` the SQL of the key's value for that column."""
    return " AND ".join(f"{claims}.{name} = {part(name)}" for name, _ in KEY_COLUMNS)


def keys_json(keys: Iterable[tuple[int, int, date, date, str]]) -> str:
    """Dated keys as one JSON array of objects named by the key's columns, for statements that
    take any number of keys as one bound parameter."""
    return orjson.dumps([_named(k) for k in keys]).decode()
