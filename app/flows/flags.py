"""A flag resolved: ranking a conflict is a reviewer's decision on each claim it ranks, which
sets those claims' verification state (reviewed) and closes their queue items."""

from sqlalchemy.orm import Session

from app.claims import storage
from app.review import resolution, verification
from app.review.models import Flag, ResolveRanked
from app.review.resolution import Resolve


def resolve(
    session: Session,
    flag_id: int,
    body: Resolve,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Flag:
    """Resolve a flag; the claims a ranking names are verified anew (their rank decides)."""
    flag = resolution.resolve(
        session, flag_id, body, expected_version=expected_version, actor_id=actor_id
    )
    if isinstance(body, ResolveRanked):
        ranked = sorted({r.claim_id for r in [*body.preferred, *body.deprecated]})
        claims = [storage.get(session, i) for i in ranked]
        verification.reconcile(session, claims, actor_id=actor_id)
    return flag
