"""Sources created and changed; a changed one has the claims that stand on it verified anew."""

from sqlalchemy.orm import Session

from app.flows import notify
from app.review import verification
from app.sources import service as sources
from app.sources.models import Source, SourceCreate, SourceUpdate


def create(session: Session, data: SourceCreate, *, actor_id: int | None) -> Source:
    """Register a source, audited."""
    source = sources.create(session, data, actor_id=actor_id)
    notify.write_pending(session)
    return source


def update(
    session: Session,
    source_id: int,
    data: SourceUpdate,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Source:
    """Edit a source; what backs a claim may have changed (kind, publisher, parents): its
    claims are verified anew. Audited."""
    source = sources.update_one(
        session, source_id, data, expected_version=expected_version, actor_id=actor_id
    )
    reverify(session, source_id, actor_id=actor_id)
    notify.write_pending(session)
    return source


def reverify(session: Session, source_id: int, *, actor_id: int | None) -> None:
    """Re-verify every claim that cites the source or a source derived from it (independence
    is judged along the whole chain)."""
    citing = verification.claims_citing(session, sources.descendants(session, source_id))
    verification.reconcile(session, citing, actor_id=actor_id)
