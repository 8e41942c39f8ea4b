"""Reviewers at work: verdicts on claims, flags assigned and resolved; audited."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.auth.models import ApiKey, Caller
from app.claims.models import Claim
from app.review import resolution, reviews
from app.review.models import BulkResolveIn, Flag, Review, ReviewIn
from app.review.resolution import Resolve


def add_review(session: Session, claim: Claim, data: ReviewIn, *, key: ApiKey | Caller) -> Review:
    """A verdict on a claim; the latest one decides whether it verifies the claim."""
    review = reviews.add_review(session, claim, data, key=key)
    audit.write_pending(session)
    return review


def assign(
    session: Session,
    flag_id: int,
    assignee_id: int | None,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Flag:
    """Give a flag to a reviewer (or take it back with null)."""
    flag = resolution.assign(
        session, flag_id, assignee_id, expected_version=expected_version, actor_id=actor_id
    )
    audit.write_pending(session)
    return flag


def resolve(
    session: Session,
    flag_id: int,
    body: Resolve,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Flag:
    """Settle a flag: rank the claims, keep them apart as different quantities, or dismiss it."""
    flag = resolution.resolve(
        session, flag_id, body, expected_version=expected_version, actor_id=actor_id
    )
    audit.write_pending(session)
    return flag


def bulk_resolve(session: Session, body: BulkResolveIn, *, actor_id: int | None) -> list[Flag]:
    """Resolve many flags alike, all or nothing."""
    flags = resolution.bulk_resolve(session, body, actor_id=actor_id)
    audit.write_pending(session)
    return flags


def bulk_assign(
    session: Session, flag_ids: Sequence[int], assignee_id: int | None, *, actor_id: int | None
) -> list[Flag]:
    """Assign many flags to one reviewer, all or nothing."""
    flags = resolution.bulk_assign(session, flag_ids, assignee_id, actor_id=actor_id)
    audit.write_pending(session)
    return flags
