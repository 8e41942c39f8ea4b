"""The fact-checker's queue items of unsourced and unverified claims: read from the claim, which
stores its verification state once, with the item's assignee and dismissal beside it.

An item has the flag's shape and answers to the flag routes; its id is minus its claim's id (flag
ids are positive), its version the claim's. Open: an active claim, unsourced or unverified, not
dismissed; dismissed: a dismissal on the claim, which holds while the claim stays unsourced or
unverified. A verified or reviewed claim has no item: a reviewer's decision closes it."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, case, false, func, literal, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from app.audit import service as audit
from app.claims.models import Claim, ClaimStatus
from app.core.models import utcnow
from app.core.versioning import check_version, next_version
from app.review.errors import FlagClosed, FlagNotFound
from app.review.models import SEVERITY, Flag, FlagKind, FlagStatus, Resolution
from app.review.verification import QUEUED

QUEUED_STATE = col(Claim.verification).in_(QUEUED)
DISMISSED = and_(QUEUED_STATE, col(Claim.verification_dismissed_at).is_not(None))
OPEN = and_(
    col(Claim.status) == ClaimStatus.ACTIVE,
    QUEUED_STATE,
    col(Claim.verification_dismissed_at).is_(None),
)
# The flag columns of an item, by the flag's names (the sort columns too).
COLUMNS: dict[str, Any] = {
    "id": -col(Claim.id),
    "kind": col(Claim.verification),
    "status": case(
        (col(Claim.verification_dismissed_at).is_not(None), literal(FlagStatus.DISMISSED.value)),
        else_=FlagStatus.OPEN.value,
    ),
    "entity_id": col(Claim.entity_id),
    "metric_id": col(Claim.metric_id),
    "severity": case(
        *((col(Claim.verification) == k.value, SEVERITY[FlagKind(k.value)]) for k in QUEUED),
        else_=0,
    ),
    "claim_count": literal(1),
    "opened_at": col(Claim.created_at),
    "updated_at": col(Claim.updated_at),
    "resolved_at": col(Claim.verification_dismissed_at),
    "resolved_by_id": col(Claim.verification_dismissed_by_id),
    "reason": col(Claim.verification_dismissed_reason),
    "assignee_id": col(Claim.verification_assignee_id),
    "version": col(Claim.version),
}
SELECT = sa_select(*(c.label(name) for name, c in COLUMNS.items()))


def status_condition(status: FlagStatus | None) -> ColumnElement[bool]:
    if status is None:
        return or_(OPEN, DISMISSED)
    return {FlagStatus.OPEN: OPEN, FlagStatus.DISMISSED: DISMISSED}.get(status, false())


def as_flag(row: Any) -> Flag:
    """An item as a flag object, never added to the session."""
    m = dict(row._mapping)
    dismissed = m["resolved_at"] is not None
    return Flag(
        **m,
        group_key=f"claim:{-m['id']}",
        summary=f"claim {-m['id']}: {m['kind']}",
        resolution=Resolution.DISMISSED if dismissed else None,
    )


def page(
    session: Session, conds: Sequence[ColumnElement[bool]], order: Sequence[Any], limit: int
) -> list[Flag]:
    stmt = SELECT.where(*conds).order_by(*order).limit(limit)
    return [as_flag(r) for r in session.execute(stmt)]


def get(session: Session, item_id: int) -> Flag:
    row = session.execute(SELECT.where(col(Claim.id) == -item_id, status_condition(None))).first()
    if row is None:
        raise FlagNotFound(f"no flag {item_id}")
    return as_flag(row)


def open_counts(session: Session) -> dict[FlagKind, int]:
    rows = session.execute(
        sa_select(col(Claim.verification), func.count())
        .where(OPEN)
        .group_by(col(Claim.verification))
    ).all()
    return {FlagKind(k): n for k, n in rows}


def _claim(session: Session, item_id: int, expected_version: int | None) -> Claim:
    claim = session.get(Claim, -item_id)
    if claim is None:
        raise FlagNotFound(f"no flag {item_id}")
    check_version(claim.version, expected_version, "flag", item_id)
    return claim


def _changed(
    session: Session, claim: Claim, action: str, actor_id: int | None, before: dict[str, Any]
) -> Flag:
    assert claim.id is not None
    next_version(session, claim)
    after = {k: getattr(claim, k) for k in before}
    audit.record(
        session,
        actor_id=actor_id,
        action=f"claim.{action}",
        record_type="claim",
        record_id=claim.id,
        version=claim.version,
        before=_json(before),
        after=_json(after),
    )
    return get(session, -claim.id)


def _json(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


def assign(
    session: Session,
    item_id: int,
    assignee_id: int | None,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Flag:
    """Give a claim's queue item to a reviewer (null: back): `claim.verification_assigned`."""
    get(session, item_id)
    claim = _claim(session, item_id, expected_version)
    before = {"verification_assignee_id": claim.verification_assignee_id}
    claim.verification_assignee_id = assignee_id
    return _changed(session, claim, "verification_assigned", actor_id, before)


def dismiss(
    session: Session,
    item_id: int,
    reason: str,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Flag:
    """Dismiss a claim's open queue item: `claim.verification_dismissed`."""
    claim = _claim(session, item_id, expected_version)
    item = get(session, item_id)
    if item.status != FlagStatus.OPEN:
        raise FlagClosed(f"flag {item_id} is {item.status}")
    before: dict[str, Any] = {
        "verification_dismissed_at": None,
        "verification_dismissed_by_id": None,
        "verification_dismissed_reason": None,
    }
    claim.verification_dismissed_at = utcnow()
    claim.verification_dismissed_by_id = actor_id
    claim.verification_dismissed_reason = reason
    return _changed(session, claim, "verification_dismissed", actor_id, before)
