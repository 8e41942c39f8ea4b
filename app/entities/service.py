"""Entities and metrics: create, list, resolve a name as an analyst wrote it, change aliases."""

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import String, cast, literal_column, null, union_all
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session, aliased
from sqlmodel import col, select

from app.audit import service as audit
from app.core.errors import InvalidInput
from app.core.inlist import in_list
from app.core.models import utcnow
from app.core.sessions import lock_keys
from app.core.statements import fetch
from app.entities import aliases
from app.entities.aliases import ENTITY, METRIC
from app.entities.errors import NameTaken
from app.entities.models import (
    Entity,
    EntityAlias,
    EntityCreate,
    Metric,
    MetricAlias,
    MetricCreate,
    Ref,
)
from app.entities.names import alias_forms, check_name, normalize, slugify
from app.quantities import QuantityError, canonical_unit

# --- entities ---------------------------------------------------------------------------------


# A name resolves to columns, not an ORM object (every claim written resolves an entity and a
# metric, and loading the objects cost more than the queries): an entity to its `Ref`.
class MetricRow(NamedTuple):
    id: int
    slug: str
    name: str
    dimension: str
    unit: str


def _named(of: str, key: Any, entity: Any, *, dimension: Any = None, unit: Any = None) -> Any:
    """A NAMES select: what matched (`of`), by which key, and the entity's or metric's columns."""
    return sa_select(
        literal_column(f"'{of}'").label("of"),
        key.label("key"),
        col(entity.id).label("id"),
        col(entity.slug).label("slug"),
        col(entity.name).label("name"),
        (cast(null(), String) if dimension is None else dimension).label("dimension"),
        (cast(null(), String) if unit is None else unit).label("unit"),
    )


# Entities and metrics by alias and by slug, in one statement: every claim written resolves
# both names, and a statement each cost a round trip each on PostgreSQL.
_BY_ALIAS = aliased(Entity, name="by_alias")
_METRIC_BY_ALIAS = aliased(Metric, name="metric_by_alias")
NAMES = union_all(
    _named("alias", col(EntityAlias.normalized), _BY_ALIAS)
    .join(EntityAlias, col(_BY_ALIAS.id) == col(EntityAlias.entity_id))
    .where(in_list(col(EntityAlias.normalized), "aliases", "text")),
    _named("entity", col(Entity.slug), Entity).where(
        in_list(col(Entity.slug), "entity_slugs", "text")
    ),
    _named(
        "metric_alias",
        col(MetricAlias.normalized),
        _METRIC_BY_ALIAS,
        dimension=col(_METRIC_BY_ALIAS.dimension),
        unit=col(_METRIC_BY_ALIAS.unit),
    )
    .join(MetricAlias, col(_METRIC_BY_ALIAS.id) == col(MetricAlias.metric_id))
    .where(in_list(col(MetricAlias.normalized), "metric_aliases", "text")),
    _named(
        "metric", col(Metric.slug), Metric, dimension=col(Metric.dimension), unit=col(Metric.unit)
    ).where(in_list(col(Metric.slug), "metric_slugs", "text")),
)


def find_names(
    session: Session, entity_names: Iterable[str], metric_names: Iterable[str]
) -> tuple[dict[str, Ref], dict[str, MetricRow]]:
    """The entities and the metrics known by these slugs, names or aliases (an alias first),
    each by the name given; names that match none are left out. One query, however many
    names."""
    normalized = {name: normalize(name) for name in set(entity_names)}
    entity_slugs = {name: slugify(name) for name in normalized}
    metric_forms = {name: normalize(name) for name in set(metric_names)}
    metric_slugs = {name: slugify(name) for name in metric_forms}
    found: dict[tuple[str, str], Any] = {
        (r.of, r.key): r
        for r in fetch(
            session,
            NAMES,
            {
                "aliases": sorted(set(normalized.values())),
                "entity_slugs": sorted(set(entity_slugs.values())),
                "metric_aliases": sorted(set(metric_forms.values())),
                "metric_slugs": sorted(set(metric_slugs.values())),
            },
        )
    }
    entities: dict[str, Ref] = {}
    for name, key in normalized.items():
        r = found.get(("alias", key)) or found.get(("entity", entity_slugs[name]))
        if r is not None:
            entities[name] = Ref(id=r.id, slug=r.slug, name=r.name)
    metrics: dict[str, MetricRow] = {}
    for name, key in metric_forms.items():
        r = found.get(("metric_alias", key)) or found.get(("metric", metric_slugs[name]))
        if r is not None:
            metrics[name] = MetricRow(r.id, r.slug, r.name, r.dimension, r.unit)
    return entities, metrics


def find_entities(session: Session, names: Iterable[str]) -> dict[str, Ref]:
    """The entities known by these slugs, names or aliases (an alias first), by the name given."""
    return find_names(session, names, ())[0]


def find_entity(session: Session, name: str) -> Ref | None:
    """The entity known by this slug, name or alias."""
    return find_entities(session, [name]).get(name)


def get_entity(session: Session, entity_id: int) -> Entity:
    """The entity, or 404 (naming the entity it was merged into, if it was)."""
    entity: Entity = aliases.get(session, ENTITY, entity_id)
    return entity


def aliases_of(session: Session, entity_ids: Sequence[int]) -> dict[int, list[str]]:
    return aliases.aliases_of(session, ENTITY, entity_ids)


def create_entity(session: Session, data: EntityCreate, *, actor_id: int | None) -> Entity:
    """A new entity; its slug, name and aliases must not name another one. Audited
    (`entity.created`), whether registered or met for the first time in a claim."""
    check_name(data.name, "name")
    slug = data.slug or slugify(data.name)
    normalized = alias_forms([data.name, slug, *data.aliases])
    # Two requests naming one new entity at once: the second waits, then finds it taken.
    lock_keys(session, [f"entity:{slug}", *(f"alias:{key}" for key in normalized)])
    taken = aliases.taken(session, ENTITY, normalized)
    slug_taken = session.execute(select(Entity.id).where(Entity.slug == slug)).first()
    if taken is not None or slug_taken is not None:
        raise NameTaken(f"'{taken or slug}' already names an entity", field="aliases")
    now = utcnow()
    entity = Entity(slug=slug, name=data.name, created_at=now, updated_at=now)
    session.add(entity)
    session.flush()
    assert entity.id is not None
    aliases.add_aliases(session, ENTITY, entity.id, normalized)
    audit.record(
        session,
        actor_id=actor_id,
        action="entity.created",
        record_type="entity",
        record_id=entity.id,
        version=entity.version,
        after={"slug": slug, "name": entity.name, "aliases": list(normalized.values())},
    )
    return entity


def resolve_entity(session: Session, name: str, *, actor_id: int | None) -> tuple[Ref, bool]:
    """The entity this name means, created on the fly when unknown; (entity, created)."""
    check_name(name, "entity")
    found = find_entity(session, name)
    if found is not None:
        return found, False
    # Unknown so far; another request may be creating it right now: wait for it, look again.
    lock_keys(session, [f"entity:{slugify(name)}", f"alias:{normalize(name)}"])
    found = find_entity(session, name)
    if found is not None:
        return found, False
    entity = create_entity(session, EntityCreate(name=name), actor_id=actor_id)
    assert entity.id is not None
    return Ref(id=entity.id, slug=entity.slug, name=entity.name), True


def get_all_entities(
    session: Session, *, q: str | None, after: str | None, limit: int
) -> Sequence[Entity]:
    """Entities in slug order after the slug `after`, optionally matching `q` in any alias."""
    stmt = select(Entity).order_by(col(Entity.slug)).limit(limit)
    if after is not None:
        stmt = stmt.where(col(Entity.slug) > after)
    if q:
        pattern = f"%{normalize(q)}%"
        stmt = stmt.where(
            col(Entity.id).in_(
                select(EntityAlias.entity_id).where(col(EntityAlias.normalized).like(pattern))
            )
        )
    return session.execute(stmt).scalars().all()


# --- metrics ----------------------------------------------------------------------------------


def find_metrics(session: Session, names: Iterable[str]) -> dict[str, MetricRow]:
    """The metrics these names mean (by slug), by the name given; unknown names left out."""
    return find_names(session, (), names)[1]


def find_metric(session: Session, name: str) -> MetricRow | None:
    return find_metrics(session, [name]).get(name)


def get_metric(session: Session, metric_id: int) -> Metric:
    """The metric, or 404 (naming the metric it was merged into, if it was)."""
    metric: Metric = aliases.get(session, METRIC, metric_id)
    return metric


def metric_aliases_of(session: Session, metric_ids: Sequence[int]) -> dict[int, list[str]]:
    return aliases.aliases_of(session, METRIC, metric_ids)


def create_metric(session: Session, data: MetricCreate, *, actor_id: int | None) -> Metric:
    """A new metric; its unit fixes its dimension, and its slug, name and aliases must not name
    another one. Audited (`metric.created`), whether registered or met for the first time in a
    claim."""
    check_name(data.name, "name")
    slug = data.slug or slugify(data.name)
    normalized = alias_forms([data.name, slug, *data.aliases])
    lock_keys(session, [f"metric:{slug}", *(f"{METRIC.lock}:{key}" for key in normalized)])
    if session.execute(select(Metric.id).where(Metric.slug == slug)).first() is not None:
        raise NameTaken(f"'{slug}' already names a metric", field="slug")
    taken = aliases.taken(session, METRIC, normalized)
    if taken is not None:
        field = "name" if normalize(taken) == normalize(data.name) else "aliases"
        raise NameTaken(f"'{taken}' already names a metric", field=field)
    try:
        unit, dimension = canonical_unit(data.unit)
    except QuantityError as exc:
        raise InvalidInput(exc.message, field="unit") from exc
    now = utcnow()
    metric = Metric(
        slug=slug, name=data.name, unit=unit, dimension=dimension, created_at=now, updated_at=now
    )
    session.add(metric)
    session.flush()
    assert metric.id is not None
    aliases.add_aliases(session, METRIC, metric.id, normalized)
    audit.record(
        session,
        actor_id=actor_id,
        action="metric.created",
        record_type="metric",
        record_id=metric.id,
        version=metric.version,
        after={
            "slug": slug,
            "name": metric.name,
            "unit": unit,
            "dimension": dimension,
            "aliases": list(normalized.values()),
        },
    )
    return metric


def resolve_metric(
    session: Session, name: str, *, unit: str, actor_id: int | None
) -> tuple[MetricRow, bool]:
    """The metric this name means, created with the claim's unit when unknown."""
    check_name(name, "metric")
    found = find_metric(session, name)
    if found is not None:
        return found, False
    lock_keys(session, [f"metric:{slugify(name)}", f"{METRIC.lock}:{normalize(name)}"])
    found = find_metric(session, name)
    if found is not None:
        return found, False
    metric = create_metric(session, MetricCreate(name=name, unit=unit), actor_id=actor_id)
    assert metric.id is not None
    return MetricRow(metric.id, metric.slug, metric.name, metric.dimension, metric.unit), True


def get_all_metrics(session: Session, *, after: str | None, limit: int) -> Sequence[Metric]:
    """Metrics in slug order after the slug `after`."""
    stmt = select(Metric).order_by(col(Metric.slug)).limit(limit)
    if after is not None:
        stmt = stmt.where(col(Metric.slug) > after)
    return session.execute(stmt).scalars().all()
