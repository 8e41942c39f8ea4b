"""Entities and metrics registered, and an entity's aliases changed; audited."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.entities import service as entities
from app.entities.models import Entity, EntityCreate, Metric, MetricCreate


def create_entity(session: Session, data: EntityCreate, *, actor_id: int | None) -> Entity:
    """Register an entity with its aliases."""
    entity = entities.create_entity(session, data, actor_id=actor_id)
    audit.write_pending(session)
    return entity


def change_aliases(
    session: Session,
    entity_id: int,
    aliases: Sequence[str],
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Entity:
    """Replace an entity's aliases, at the version the client read."""
    entity = entities.change_aliases(
        session, entity_id, aliases, expected_version=expected_version, actor_id=actor_id
    )
    audit.write_pending(session)
    return entity


def create_metric(session: Session, data: MetricCreate, *, actor_id: int | None) -> Metric:
    """Register a metric and its unit."""
    metric = entities.create_metric(session, data, actor_id=actor_id)
    audit.write_pending(session)
    return metric
