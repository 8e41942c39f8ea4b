"""Entities and metrics: create, list, resolve a name as an analyst wrote it, change aliases."""

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import String, cast, delete, literal_column, null, union_all
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session, aliased
from sqlmodel import col, select

from app.audit import service as audit
from app.core.errors import InvalidInput
from app.core.inlist import in_list
from app.core.models import utcnow
from app.core.sessions import lock_keys
from app.core.statements import fetch
from app.core.versioning import bump_version, check_version
from app.entities.errors import EntityNotFound, MetricNotFound, NameTaken
from app.entities.models import (
    Entity,
    EntityAlias,
    EntityCreate,
    Metric,
    MetricCreate,
    Ref,
)
from app.quantities import QuantityError, canonical_unit


def normalize(name: str) -> str:
    """The form aliases are matched in: "Temir Zholy (KTZ)" is "temir zholy ktz"."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def slugify(name: str) -> str:
    """An ASCII slug; a name with no ASCII letters ("Россия") gets one made from its hash, so
    that two such names never share a slug."""
    spaced = re.sub(r"[\W_]+", " ", name)
    ascii_text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    slug = "-".join(re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split())[:100].strip("-")
    if len(slug) * 2 >= len(normalize(name).replace(" ", "")) and slug:
        return slug
    digest = hashlib.sha256(normalize(name).encode()).hexdigest()[:10]
    return f"{slug[:80]}-{digest}".strip("-")


# --- entities ---------------------------------------------------------------------------------


def _check_name(name: str, field: str) -> None:
    if not normalize(name):
        raise InvalidInput(f"'{name}' has no letter or digit to name anything by", field=field)


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


# Entities by alias and by slug, and metrics by slug, in one statement: every claim written
# resolves both names, and a statement each cost a round trip each on PostgreSQL.
_BY_ALIAS = aliased(Entity, name="by_alias")
NAMES = union_all(
    _named("alias", col(EntityAlias.normalized), _BY_ALIAS)
    .join(EntityAlias, col(_BY_ALIAS.id) == col(EntityAlias.entity_id))
    .where(in_list(col(EntityAlias.normalized), "aliases", "text")),
    _named("entity", col(Entity.slug), Entity).where(
        in_list(col(Entity.slug), "entity_slugs", "text")
    ),
    _named(
        "metric", col(Metric.slug), Metric, dimension=col(Metric.dimension), unit=col(Metric.unit)
    ).where(in_list(col(Metric.slug), "metric_slugs", "text")),
)


def find_names(
    session: Session, entity_names: Iterable[str], metric_names: Iterable[str]
) -> tuple[dict[str, Ref], dict[str, MetricRow]]:
    """The entities known by these slugs, names or aliases (an alias first), and the metrics
    these names mean (by slug), each by the name given; names that match none are left out.
    One query, however many names."""
    normalized = {name: normalize(name) for name in set(entity_names)}
    entity_slugs = {name: slugify(name) for name in normalized}
    metric_slugs = {name: slugify(name) for name in set(metric_names)}
    found: dict[tuple[str, str], Any] = {
        (r.of, r.key): r
        for r in fetch(
            session,
            NAMES,
            {
                "aliases": sorted(set(normalized.values())),
                "entity_slugs": sorted(set(entity_slugs.values())),
                "metric_slugs": sorted(set(metric_slugs.values())),
            },
        )
    }
    entities: dict[str, Ref] = {}
    for name, key in normalized.items():
        r = found.get(("alias", key)) or found.get(("entity", entity_slugs[name]))
        if r is not None:
            entities[name] = Ref(id=r.id, slug=r.slug, name=r.name)
    metrics = {
        name: MetricRow(r.id, r.slug, r.name, r.dimension, r.unit)
        for name, slug in metric_slugs.items()
        if (r := found.get(("metric", slug))) is not None
    }
    return entities, metrics


def find_entities(session: Session, names: Iterable[str]) -> dict[str, Ref]:
    """The entities known by these slugs, names or aliases (an alias first), by the name given."""
    return find_names(session, names, ())[0]


def find_entity(session: Session, name: str) -> Ref | None:
    """The entity known by this slug, name or alias."""
    return find_entities(session, [name]).get(name)


def get_entity(session: Session, entity_id: int) -> Entity:
    entity = session.get(Entity, entity_id)
    if entity is None:
        raise EntityNotFound(f"no entity {entity_id}")
    return entity


def aliases_of(session: Session, entity_ids: Sequence[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {i: [] for i in entity_ids}
    stmt = (
        select(EntityAlias.entity_id, EntityAlias.alias)
        .where(col(EntityAlias.entity_id).in_(list(entity_ids)))
        .order_by(col(EntityAlias.id))
    )
    for entity_id, alias in session.execute(stmt):
        out[entity_id].append(alias)
    return out


def _aliases(names: Iterable[str]) -> dict[str, str]:
    """Each name by its normalised form, the first spelling of each form kept, in order."""
    normalized: dict[str, str] = {}
    for alias in names:
        key = normalize(alias)
        if len(key) > 200:
            raise InvalidInput("an alias may be at most 200 characters", field="aliases")
        if key and key not in normalized:
            normalized[key] = alias
    return normalized


def _taken(session: Session, keys: Iterable[str], *, other_than: int | None = None) -> str | None:
    """An alias, of these normalised forms, that an entity (other than `other_than`) goes by."""
    stmt = select(EntityAlias.alias).where(col(EntityAlias.normalized).in_(list(keys)))
    if other_than is not None:
        stmt = stmt.where(col(EntityAlias.entity_id) != other_than)
    return session.execute(stmt.limit(1)).scalars().first()


def _add_aliases(session: Session, entity_id: int, normalized: dict[str, str]) -> None:
    session.add_all(
        EntityAlias(entity_id=entity_id, alias=alias, normalized=key)
        for key, alias in normalized.items()
    )
    session.flush()


def create_entity(session: Session, data: EntityCreate, *, actor_id: int | None) -> Entity:
    """A new entity; its slug, name and aliases must not name another one. Audited
    (`entity.created`), whether registered or met for the first time in a claim."""
    _check_name(data.name, "name")
    slug = data.slug or slugify(data.name)
    normalized = _aliases([data.name, slug, *data.aliases])
    # Two requests naming one new entity at once: the second waits, then finds it taken.
    lock_keys(session, [f"entity:{slug}", *(f"alias:{key}" for key in normalized)])
    taken = _taken(session, normalized)
    slug_taken = session.execute(select(Entity.id).where(Entity.slug == slug)).first()
    if taken is not None or slug_taken is not None:
        raise NameTaken(f"'{taken or slug}' already names an entity", field="aliases")
    now = utcnow()
    entity = Entity(slug=slug, name=data.name, created_at=now, updated_at=now)
    session.add(entity)
    session.flush()
    assert entity.id is not None
    _add_aliases(session, entity.id, normalized)
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


def change_aliases(
    session: Session,
    entity_id: int,
    aliases: Sequence[str],
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Entity:
    """Replace an entity's aliases, at the version the client read (None: any). Its name and
    slug stay among them whatever is sent; an alias another entity goes by is refused. A new
    version and an `entity.aliases_changed` event (before and after), unless nothing changed."""
    entity = get_entity(session, entity_id)
    before = aliases_of(session, [entity_id])[entity_id]
    normalized = _aliases([entity.name, entity.slug, *aliases])
    after = list(normalized.values())
    if after == before:
        check_version(entity.version, expected_version, "entity", entity_id)
        return entity
    bump_version(session, Entity, entity_id, expected_version, "entity")
    lock_keys(session, [f"alias:{key}" for key in normalized])
    taken = _taken(session, normalized, other_than=entity_id)
    if taken is not None:
        raise NameTaken(f"'{taken}' already names another entity", field="aliases")
    session.execute(delete(EntityAlias).where(col(EntityAlias.entity_id) == entity_id))
    _add_aliases(session, entity_id, normalized)
    session.refresh(entity)
    audit.record(
        session,
        actor_id=actor_id,
        action="entity.aliases_changed",
        record_type="entity",
        record_id=entity_id,
        version=entity.version,
        before={"aliases": before},
        after={"aliases": after},
    )
    return entity


def resolve_entity(session: Session, name: str, *, actor_id: int | None) -> tuple[Ref, bool]:
    """The entity this name means, created on the fly when unknown; (entity, created)."""
    _check_name(name, "entity")
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
    metric = session.get(Metric, metric_id)
    if metric is None:
        raise MetricNotFound(f"no metric {metric_id}")
    return metric


def create_metric(session: Session, data: MetricCreate, *, actor_id: int | None) -> Metric:
    """A new metric; its unit fixes its dimension. Audited (`metric.created`), whether
    registered or met for the first time in a claim."""
    _check_name(data.name, "name")
    slug = data.slug or slugify(data.name)
    lock_keys(session, [f"metric:{slug}"])
    if session.execute(select(Metric.id).where(Metric.slug == slug)).first() is not None:
        raise NameTaken(f"'{slug}' already names a metric", field="slug")
    try:
        unit, dimension = canonical_unit(data.unit)
    except QuantityError as exc:
        raise InvalidInput(exc.message, field="unit") from exc
    metric = Metric(slug=slug, name=data.name, unit=unit, dimension=dimension)
    session.add(metric)
    session.flush()
    assert metric.id is not None
    audit.record(
        session,
        actor_id=actor_id,
        action="metric.created",
        record_type="metric",
        record_id=metric.id,
        after={"slug": slug, "name": metric.name, "unit": unit, "dimension": dimension},
    )
    return metric


def resolve_metric(
    session: Session, name: str, *, unit: str, actor_id: int | None
) -> tuple[MetricRow, bool]:
    """The metric this name means, created with the claim's unit when unknown."""
    _check_name(name, "metric")
    found = find_metric(session, name)
    if found is not None:
        return found, False
    lock_keys(session, [f"metric:{slugify(name)}"])
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
