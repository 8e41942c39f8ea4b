"""A publisher changed: what its sources back is verified anew (independence is judged by
publisher)."""

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.flows import notify
from app.review import verification
from app.sources import publishers
from app.sources.models import Publisher, PublisherUpdate, Source


def update(
    session: Session,
    publisher_id: int,
    data: PublisherUpdate,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Publisher:
    """Rename a publisher or set its aliases. Which sources it has does not change (an alias
    only catches the names written from now on), so no claim is verified anew."""
    publisher = publishers.update(
        session, publisher_id, data, expected_version=expected_version, actor_id=actor_id
    )
    notify.write_pending(session)
    return publisher


def merge(session: Session, publisher_id: int, into_id: int, *, actor_id: int | None) -> Publisher:
    """Fold a publisher into another; the claims citing their sources are verified anew (two
    citations that were independent may now share a publisher)."""
    publishers.merge(session, publisher_id, into_id, actor_id=actor_id)
    sources = {
        i
        for i in session.execute(
            select(col(Source.id)).where(col(Source.publisher_id) == into_id)
        ).scalars()
        if i is not None
    }
    verification.reconcile(session, verification.claims_citing(session, sources), actor_id=actor_id)
    notify.write_pending(session)
    return publishers.get(session, into_id)
