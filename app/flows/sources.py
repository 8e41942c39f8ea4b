"""A source changed: the claims that stand on it are verified anew."""

from sqlalchemy.orm import Session

from app.review import verification
from app.sources import service as sources
from app.sources.models import Source, SourceUpdate


def update(
    session: Session,
    source_id: int,
    data: SourceUpdate,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Source:
    """Edit a source; what backs a claim may have changed (kind, publisher, parents)."""
    source = sources.update_one(
        session, source_id, data, expected_version=expected_version, actor_id=actor_id
    )
    reverify(session, source_id, actor_id=actor_id)
    return source


def reverify(session: Session, source_id: int, *, actor_id: int | None) -> None:
    """Re-verify every claim that cites the source or a source derived from it (independence
    is judged along the whole chain)."""
    citing = verification.claims_citing(session, sources.descendants(session, source_id))
    verification.reconcile(session, citing, actor_id=actor_id)
