"""The entities and metrics a request's drafts are matched against, read once a request."""

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.drafts.proposals import Catalog, MetricInfo, entity_forms, metric_names, metric_words
from app.entities import close
from app.entities.aliases import ENTITY, METRIC
from app.entities.models import Entity, Metric, MetricAlias


def load(session: Session) -> Catalog:
    """Every entity and metric with its aliases: four statements, whatever the text."""
    entities = close.index(session, ENTITY)
    slugs = {
        row.id: (row.name, row.slug)
        for row in session.execute(select(col(Entity.id), col(Entity.name), col(Entity.slug)))
    }
    aliases: dict[int, list[str]] = {}
    for metric_id, alias in session.execute(
        select(col(MetricAlias.metric_id), col(MetricAlias.alias))
    ):
        aliases.setdefault(metric_id, []).append(alias)
    metrics = [
        MetricInfo(
            row.id,
            row.slug,
            row.name,
            row.dimension,
            row.unit,
            metric_words(row.name, row.slug, aliases.get(row.id, []), row.unit),
            metric_names(row.name, row.slug, aliases.get(row.id, []), row.unit),
        )
        for row in session.execute(
            select(
                col(Metric.id),
                col(Metric.slug),
                col(Metric.name),
                col(Metric.dimension),
                col(Metric.unit),
            ).order_by(col(Metric.id))
        )
    ]
    return Catalog(
        entities=entities,
        entity_slugs=slugs,
        metrics=metrics,
        metric_index=close.index(session, METRIC),
        forms=entity_forms(entities),
    )
