"""How any flag opens and how it clears by itself: one place, whoever raises it."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Table
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.audit import service as audit
from app.core.inlist import in_list
from app.core.models import utcnow
from app.core.params import MAX_ID
from app.core.statements import fetch
from app.core.versioning import next_version
from app.core.writes import insert_ids, insert_rows
from app.review.models import (
    SEVERITY,
    Flag,
    FlagClaim,
    FlagKind,
    FlagNote,
    FlagStatus,
    Resolution,
)


class Flagged(Protocol):
    """What a flag's event names of it: a flag, or its row read as columns."""

    @property
    def id(self) -> int | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def version(self) -> int: ...


def record(
    session: Session, flag: Flagged, action: str, actor_id: int | None, **after: Any
) -> None:
    """The event of a flag's change: `flag.<action>`, with its kind and status."""
    assert flag.id is not None
    audit.record(
        session,
        actor_id=actor_id,
        action=f"flag.{action}",
        record_type="flag",
        record_id=flag.id,
        version=flag.version,
        after={"kind": flag.kind, "status": flag.status, **after},
    )


# Core tables: a batch of flags is inserted without building an ORM object for each.
FLAGS: Table = Flag.__table__  # type: ignore[attr-defined]
FLAG_CLAIMS: Table = FlagClaim.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class NewFlag:
    """A flag to open: its kind, group, subject and claims."""

    kind: FlagKind
    group_key: str
    entity_id: int | None
    metric_id: int | None
    summary: str
    claim_ids: Sequence[int]


def open_many(session: Session, new: Sequence[NewFlag], *, actor_id: int | None) -> list[int]:
    """New open flags with their claims and `flag.opened` events, in two statements however
    many there are; their ids, in the order asked for."""
    if not new:
        return []
    now = utcnow()
    ids = insert_ids(
        session,
        FLAGS,
        [
            {
                "kind": f.kind,
                "group_key": f.group_key,
                "entity_id": f.entity_id,
                "metric_id": f.metric_id,
                "severity": SEVERITY[f.kind],
                "claim_count": len(set(f.claim_ids)),
                "summary": f.summary,
            }
            for f in new
        ],
    )
    members = [
        {"flag_id": i, "claim_id": c, "added_at": now}
        for i, f in zip(ids, new, strict=True)
        for c in sorted(set(f.claim_ids))
    ]
    insert_rows(session, FLAG_CLAIMS, members)
    for i, f in zip(ids, new, strict=True):
        audit.record(
            session,
            actor_id=actor_id,
            action="flag.opened",
            record_type="flag",
            record_id=i,
            version=1,
            after={"kind": f.kind, "status": FlagStatus.OPEN, "claims": sorted(set(f.claim_ids))},
        )
    return ids


class Opening:
    """New flags to open together, in `open_many`'s two statements, whoever asks for them.
    Each gets a stand-in id for its notes until `open` gives them the real ones: below
    -MAX_ID, never the id of a flag nor of a claim's verification item (minus the claim's id).
    The hooks of a new claim share one: its conflict and data flags open together."""

    def __init__(self) -> None:
        self.flags: list[NewFlag] = []

    def add(self, flag: NewFlag) -> int:
        self.flags.append(flag)
        return -MAX_ID - len(self.flags)

    def open(
        self, session: Session, notes: dict[int, list[FlagNote]], *, actor_id: int | None
    ) -> None:
        ids = open_many(session, self.flags, actor_id=actor_id)
        real = {-MAX_ID - n: i for n, i in enumerate(ids, start=1)}
        for claim_notes in notes.values():
            for note in claim_notes:
                note.id = real.get(note.id, note.id)
        self.flags = []


def open_each(
    session: Session,
    new: Sequence[NewFlag],
    notes: dict[int, list[FlagNote]],
    *,
    actor_id: int | None,
    shared: Opening | None,
) -> None:
    """Flags of one claim each, noted open on their claim: opened now, or added to `shared`
    for its owner to open with others (the notes hold stand-in ids until then)."""
    batch = shared or Opening()
    for flag in new:
        (claim_id,) = flag.claim_ids
        notes[claim_id].append(FlagNote(id=batch.add(flag), kind=flag.kind, status=FlagStatus.OPEN))
    if shared is None:
        batch.open(session, notes, actor_id=actor_id)


def open_flag(
    session: Session,
    *,
    kind: FlagKind,
    group_key: str,
    entity_id: int | None,
    metric_id: int | None,
    summary: str,
    claim_ids: Sequence[int],
    actor_id: int | None,
) -> Flag:
    """A new open flag with its claims, and its `flag.opened` event."""
    spec = NewFlag(kind, group_key, entity_id, metric_id, summary, claim_ids)
    flag = session.get(Flag, open_many(session, [spec], actor_id=actor_id)[0])
    assert flag is not None
    return flag


def clear(session: Session, flag: Flag, reason: str, actor_id: int | None, **after: Any) -> None:
    """Close a flag whose cause went away (resolved/cleared), saying why in its event."""
    flag.status = FlagStatus.RESOLVED
    flag.resolution = Resolution.CLEARED
    flag.reason = reason
    flag.resolved_at = utcnow()
    next_version(session, flag)
    record(session, flag, "cleared", actor_id, reason=reason, **after)


LINKS_OF = sa_select(col(FlagClaim.claim_id), col(FlagClaim.flag_id)).where(
    in_list(col(FlagClaim.claim_id), "ids")
)


def links_of(session: Session, claim_ids: Sequence[int]) -> dict[int, set[int]]:
    """Flag id -> the claims among these that it holds. Read apart from the flags themselves:
    joined, SQLite (without statistics) walks every open flag instead of these claims' links."""
    links: dict[int, set[int]] = {}
    for claim_id, flag_id in fetch(session, LINKS_OF, {"ids": list(claim_ids)}):
        links.setdefault(flag_id, set()).add(claim_id)
    return links
