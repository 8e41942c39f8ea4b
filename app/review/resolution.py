"""Acting on flags: assigning them to a reviewer and resolving them (ranked, different
quantities, dismissed), one at a time or in bulk, each audited."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth.models import ApiKey
from app.auth.policy import Permission, allows
from app.claims.models import Claim
from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.core.versioning import bump_version, check_version, next_version
from app.review import conflicts, queue, queue_claims
from app.review.errors import FlagClosed
from app.review.models import (
    BulkResolveIn,
    Flag,
    FlagKind,
    FlagStatus,
    Rank,
    Resolution,
    ResolveDifferent,
    ResolveDismissed,
    ResolveRanked,
)


def _bump(session: Session, flag: Flag, expected_version: int | None) -> dict[str, Any]:
    assert flag.id is not None
    before = queue.to_public_many(session, [flag])[0].model_dump(mode="json")
    check_version(flag.version, expected_version, "flag", flag.id)
    bump_version(session, Flag, flag.id, expected_version, "flag")
    session.refresh(flag)
    return before


def _record(
    session: Session, flag: Flag, action: str, actor_id: int | None, before: dict[str, Any]
) -> None:
    assert flag.id is not None
    audit.record(
        session,
        actor_id=actor_id,
        action=f"flag.{action}",
        record_type="flag",
        record_id=flag.id,
        version=flag.version,
        before=before,
        after=queue.to_public_many(session, [flag])[0].model_dump(mode="json"),
    )


def assign(
    session: Session,
    flag_id: int,
    assignee_id: int | None,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Flag:
    """Give a flag to a reviewer (or take it back with null)."""
    flag = queue.get(session, flag_id)
    if assignee_id is not None:
        key = session.get(ApiKey, assignee_id)
        if key is None or key.revoked_at is not None or not allows(key.role, Permission.REVIEW):
            raise InvalidInput(
                f"key {assignee_id} is not a live reviewer or admin key", field="assignee_id"
            )
    if flag_id < 0:
        return queue_claims.assign(
            session, flag_id, assignee_id, expected_version=expected_version, actor_id=actor_id
        )
    before = _bump(session, flag, expected_version)
    flag.assignee_id = assignee_id
    session.flush()
    _record(session, flag, "assigned", actor_id, before)
    return flag


Resolve = ResolveRanked | ResolveDifferent | ResolveDismissed


def resolve(
    session: Session,
    flag_id: int,
    body: Resolve,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Flag:
    """Settle a flag: rank the claims, keep them apart as different quantities, or dismiss it."""
    flag = queue.get(session, flag_id)
    check_version(flag.version, expected_version, "flag", flag_id)
    if flag.status != FlagStatus.OPEN:
        raise FlagClosed(f"flag {flag_id} is {flag.status}")
    if isinstance(body, ResolveRanked | ResolveDifferent) and flag.kind != FlagKind.CONFLICT:
        raise InvalidInput(f"only conflict flags can be {body.resolution}", field="resolution")
    if flag_id < 0:
        assert isinstance(body, ResolveDismissed)
        return queue_claims.dismiss(
            session, flag_id, body.reason, expected_version=expected_version, actor_id=actor_id
        )
    before = _bump(session, flag, expected_version)
    members = set(queue.member_ids(session, [flag_id])[flag_id])
    if isinstance(body, ResolveRanked):
        ranks = [(r, Rank.PREFERRED) for r in body.preferred] + [
            (r, Rank.DEPRECATED) for r in body.deprecated
        ]
        for i, (ranked, _) in enumerate(ranks):
            if ranked.claim_id not in members:
                raise InvalidInput(
                    f"claim {ranked.claim_id} is not in flag {flag_id}",
                    field=f"ranks[{i}].claim_id",
                )
        if len({r.claim_id for r, _ in ranks}) != len(ranks):
            raise InvalidInput("a claim may be ranked once", field="preferred")
        for ranked, rank in ranks:
            claim = session.get(Claim, ranked.claim_id)
            assert claim is not None and claim.id is not None
            before = {"rank": claim.rank, "rank_reason": claim.rank_reason}
            claim.rank, claim.rank_reason = rank, ranked.reason
            next_version(session, claim)
            audit.record(
                session,
                actor_id=actor_id,
                action="claim.ranked",
                record_type="claim",
                record_id=claim.id,
                version=claim.version,
                before=before,
                after={"rank": rank, "rank_reason": ranked.reason, "flag_id": flag_id},
            )
        flag.resolution = Resolution.RANKED
        flag.reason = "; ".join(f"{rank} {r.claim_id}: {r.reason}" for r, rank in ranks)
        flag.status = FlagStatus.RESOLVED
    elif isinstance(body, ResolveDifferent):
        conflicts.separate(session, flag, members)
        flag.resolution = Resolution.DIFFERENT_QUANTITIES
        flag.reason = body.reason
        flag.status = FlagStatus.RESOLVED
    else:
        if flag.kind == FlagKind.CONFLICT:
            # A dismissal sticks: these claims are not compared with each other again.
            conflicts.separate(session, flag, members)
        flag.resolution = Resolution.DISMISSED
        flag.reason = body.reason
        flag.status = FlagStatus.DISMISSED
    flag.resolved_at = utcnow()
    flag.resolved_by_id = actor_id
    session.flush()
    _record(session, flag, "resolved", actor_id, before)
    return flag


def bulk_resolve(session: Session, body: BulkResolveIn, *, actor_id: int | None) -> list[Flag]:
    """Resolve many flags alike, all or nothing."""
    one: Resolve = (
        ResolveDifferent(resolution="different_quantities", reason=body.reason)
        if body.resolution == "different_quantities"
        else ResolveDismissed(resolution="dismissed", reason=body.reason)
    )
    return [
        resolve(session, i, one, expected_version=None, actor_id=actor_id)
        for i in dict.fromkeys(body.flag_ids)
    ]


def bulk_assign(
    session: Session, flag_ids: Sequence[int], assignee_id: int | None, *, actor_id: int | None
) -> list[Flag]:
    return [
        assign(session, i, assignee_id, expected_version=None, actor_id=actor_id)
        for i in dict.fromkeys(flag_ids)
    ]
