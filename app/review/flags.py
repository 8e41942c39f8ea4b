"""How any flag opens and how it clears by itself: one place, whoever raises it."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, insert
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.audit import service as audit
from app.core.db import fetch
from app.core.models import utcnow
from app.core.versioning import next_version
from app.review.models import SEVERITY, Flag, FlagClaim, FlagKind, FlagStatus, Resolution


def record(session: Session, flag: Flag, action: str, actor_id: int | None, **after: Any) -> None:
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
    flag = Flag(
        kind=kind,
        status=FlagStatus.OPEN,
        group_key=group_key,
        entity_id=entity_id,
        metric_id=metric_id,
        severity=SEVERITY[kind],
        claim_count=len(set(claim_ids)),
        summary=summary,
    )
    session.add(flag)
    session.flush()
    assert flag.id is not None
    if claim_ids:
        session.execute(
            insert(FlagClaim), [{"flag_id": flag.id, "claim_id": c} for c in sorted(set(claim_ids))]
        )
    record(session, flag, "opened", actor_id, claims=sorted(set(claim_ids)))
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
    col(FlagClaim.claim_id).in_(bindparam("ids", expanding=True))
)


def links_of(session: Session, claim_ids: Sequence[int]) -> dict[int, set[int]]:
    """Flag id -> the claims among these that it holds. Read apart from the flags themselves:
    joined, SQLite (without statistics) walks every open flag instead of these claims' links."""
    links: dict[int, set[int]] = {}
    for claim_id, flag_id in fetch(session, LINKS_OF, {"ids": list(claim_ids)}):
        links.setdefault(flag_id, set()).add(claim_id)
    return links
