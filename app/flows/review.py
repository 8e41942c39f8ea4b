"""Reviewers at work: verdicts on claims, flags assigned and resolved; audited. A decision sets
the claims' verification state: any verdict makes its claim reviewed (the verdict its detail)
and closes its queue item; ranking a conflict is a decision on each claim it ranks."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.auth.models import ApiKey, Caller
from app.claims import storage
from app.flows import notify
from app.review import resolution, reviews, verification
from app.review.models import BulkResolveIn, Flag, ResolveRanked, Review, ReviewIn
from app.review.resolution import Resolve


def add_review(session: Session, claim_id: int, data: ReviewIn, *, key: ApiKey | Caller) -> Review:
    """Record a verdict on a claim, then set the claim's state from it (the latest decides)."""
    claim = storage.get(session, claim_id)
    review = reviews.add_review(session, claim, data, key=key)
    verification.reconcile(session, [claim], actor_id=key.id)
    notify.write_pending(session)
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
    notify.write_pending(session)
    return flag


def resolve(
    session: Session,
    flag_id: int,
    body: Resolve,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Flag:
    """Settle a flag: rank the claims, keep them apart as different quantities, or dismiss it.
    The claims a ranking names are verified anew (their rank decides)."""
    flag = resolution.resolve(
        session, flag_id, body, expected_version=expected_version, actor_id=actor_id
    )
    if isinstance(body, ResolveRanked):
        ranked = sorted({r.claim_id for r in [*body.preferred, *body.deprecated]})
        claims = [storage.get(session, i) for i in ranked]
        verification.reconcile(session, claims, actor_id=actor_id)
    notify.write_pending(session)
    return flag


def bulk_resolve(session: Session, body: BulkResolveIn, *, actor_id: int | None) -> list[Flag]:
    """Resolve many flags alike, all or nothing."""
    flags = resolution.bulk_resolve(session, body, actor_id=actor_id)
    notify.write_pending(session)
    return flags


def bulk_assign(
    session: Session, flag_ids: Sequence[int], assignee_id: int | None, *, actor_id: int | None
) -> list[Flag]:
    """Assign many flags to one reviewer, all or nothing."""
    flags = resolution.bulk_assign(session, flag_ids, assignee_id, actor_id=actor_id)
    notify.write_pending(session)
    return flags
