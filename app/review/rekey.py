"""Flags follow their claims when the entity or metric they are about is merged into another:
a conflict flag moves to the key its claims now share, open or settled, so that a reviewer's
ranking holds and an open group stays one group. An open group meeting one already open on
that key joins it (the database keeps one open flag a key)."""

from typing import Literal

from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.core.models import utcnow
from app.core.sessions import lock_keys
from app.core.statements import fetch
from app.core.versioning import next_version
from app.core.writes import insert_rows
from app.review import flags
from app.review.conflict_key import moved_key
from app.review.conflict_queries import CONFLICT_FLAGS, members
from app.review.models import Flag, FlagKind, FlagStatus

Column = Literal["entity_id", "metric_id"]


def rekey_flags(
    session: Session, column: Column, gone_id: int, into_id: int, *, actor_id: int | None
) -> list[int]:
    """Every flag about `gone_id` (in `column`) made about `into_id`, each a new version with a
    `flag.rekeyed` event; the ids of those that moved."""
    moving = list(
        session.execute(
            select(Flag).where(col(getattr(Flag, column)) == gone_id).order_by(col(Flag.id))
        ).scalars()
    )
    if not moving:
        return []
    new_keys = {
        f.id: moved_key(f.group_key, **{column: into_id})
        for f in moving
        if f.kind == FlagKind.CONFLICT
    }
    lock_keys(session, sorted(set(new_keys.values())))
    ids = {f.id for f in moving}
    open_there = {
        f.group_key: f.id
        for f in fetch(session, CONFLICT_FLAGS, {"keys": sorted(set(new_keys.values()))})
        if f.status == FlagStatus.OPEN and f.id not in ids
    }
    for flag in moving:
        assert flag.id is not None
        key = new_keys.get(flag.id, flag.group_key)
        if flag.status == FlagStatus.OPEN and key in open_there:
            _fold(session, flag, open_there[key], actor_id=actor_id)  # closed before it moves
        setattr(flag, column, into_id)
        flag.group_key = key
        next_version(session, flag)
        flags.record(session, flag, "rekeyed", actor_id, group_key=key, **{column: into_id})
    session.flush()
    return sorted(i for i in ids if i is not None)


def _fold(session: Session, flag: Flag, into_id: int, *, actor_id: int | None) -> None:
    """An open conflict moved onto a key with an open conflict: its claims join that one, and
    it closes, saying where they went."""
    assert flag.id is not None
    target = session.get(Flag, into_id)
    assert target is not None
    have = members(session, [flag.id, into_id])
    joining = sorted(have[flag.id] - have[into_id])
    now = utcnow()
    insert_rows(
        session,
        flags.FLAG_CLAIMS,
        [{"flag_id": into_id, "claim_id": c, "added_at": now} for c in joining],
    )
    target.claim_count = len(have[into_id]) + len(joining)
    next_version(session, target)
    flags.record(session, target, "joined", actor_id, claims=joining)
    flags.clear(session, flag, f"its claims joined flag {into_id}, on the same key", actor_id)
