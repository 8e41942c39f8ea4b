"""Entities and metrics registered, and their aliases changed; audited."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.entities import aliases
from app.entities import service as entities
from app.entities.aliases import ENTITY, METRIC
from app.entities.models import Entity, EntityCreate, Metric, MetricCreate
from app.flows import notify


def create_entity(session: Session, data: EntityCreate, *, actor_id: int | None) -> Entity:
    """Register an entity with its aliases."""
    entity = entities.create_entity(session, data, actor_id=actor_id)
    notify.write_pending(session)
    return entity


def change_aliases(
    session: Session,
    entity_id: int,
    names: Sequence[str],
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Entity:
    """Replace an entity's aliases, at the version the client read."""
    entity: Entity = aliases.change_aliases(
        session, ENTITY, entity_id, names, expected_version=expected_version, actor_id=actor_id
    )
    notify.write_pending(session)
    return entity


def create_metric(session: Session, data: MetricCreate, *, actor_id: int | None) -> Metric:
    """Register a metric, its unit and aliases."""
    metric = entities.create_metric(session, data, actor_id=actor_id)
    notify.write_pending(session)
    return metric


def change_metric_aliases(
    session: Session,
    metric_id: int,
    names: Sequence[str],
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Metric:
    """Replace a metric's aliases, at the version the client read."""
    metric: Metric = aliases.change_aliases(
        session, METRIC, metric_id, names, expected_version=expected_version, actor_id=actor_id
    )
    notify.write_pending(session)
    return metric
