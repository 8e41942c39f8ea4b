"""Indicators: create, edit, find and list them, and their public shape."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import false, func, or_
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.core.errors import InvalidInput
from app.core.models import as_utc
from app.core.pagination import decode_cursor, encode_cursor
from app.core.params import MAX_ID
from app.core.sessions import lock_keys
from app.core.types import decimal_text
from app.core.versioning import bump_version, next_version
from app.entities import service as entities
from app.entities.models import Entity, Metric, Ref
from app.entities.names import slugify
from app.indicators.aggregation import default_aggregation
from app.indicators.errors import IndicatorNotFound
from app.indicators.models import (
    Indicator,
    IndicatorCreate,
    IndicatorPublic,
    IndicatorUpdate,
    Target,
    TargetPublic,
)
from app.quantities import QuantityError, canonical_unit


def get(session: Session, indicator_id: int) -> Indicator:
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        raise IndicatorNotFound(f"no indicator {indicator_id}")
    return indicator


def find(session: Session, slug: str) -> Indicator | None:
    return session.execute(select(Indicator).where(Indicator.slug == slug)).scalar_one_or_none()


def id_of(session: Session, slug: str) -> int:
    """The id of the indicator with this slug; `IndicatorNotFound` when none has it."""
    found = session.execute(select(Indicator.id).where(Indicator.slug == slug)).scalar()
    if found is None:
        raise IndicatorNotFound(f"no indicator '{slug}'")
    return int(found)


def _free_slug(session: Session, slug: str, *, derived: bool = False) -> None:
    """Refuse a slug that reads as an id (digits alone: a path takes digits as an id) or that
    another indicator has; call under `lock_keys` on the slug."""
    if slug.isdigit():
        made = " made from the name" if derived else ""
        raise InvalidInput(
            f"the slug '{slug}'{made} is digits alone, which a path reads as an id: "
            "give a slug with a letter",
            field="slug",
        )
    lock_keys(session, [f"indicator:{slug}"])
    if session.execute(select(Indicator.id).where(Indicator.slug == slug)).first() is not None:
        raise InvalidInput(f"an indicator '{slug}' exists", field="slug")


def to_public_many(session: Session, rows: Sequence[Indicator]) -> list[IndicatorPublic]:
    ids = [r.id for r in rows if r.id is not None]
    refs = {
        ("e", e.id): Ref(id=e.id, slug=e.slug, name=e.name)
        for e in session.execute(
            select(Entity).where(col(Entity.id).in_({r.entity_id for r in rows}))
        ).scalars()
        if e.id is not None
    } | {
        ("m", m.id): Ref(id=m.id, slug=m.slug, name=m.name)
        for m in session.execute(
            select(Metric).where(col(Metric.id).in_({r.metric_id for r in rows}))
        ).scalars()
        if m.id is not None
    }
    targets: dict[int, list[TargetPublic]] = {i: [] for i in ids}
    for t in session.execute(
        select(Target).where(col(Target.indicator_id).in_(ids)).order_by(col(Target.due_on))
    ).scalars():
        assert t.id is not None
        targets[t.indicator_id].append(
            TargetPublic(
                id=t.id,
                value_text=t.value_text,
                value=decimal_text(t.value) or "0",
                bound=t.bound,
                low=decimal_text(t.low),
                high=decimal_text(t.high),
                period_start=t.period_start,
                due_on=t.due_on,
                claim_id=t.claim_id,
            )
        )
    return [
        IndicatorPublic(
            id=r.id,
            slug=r.slug,
            name=r.name,
            question=r.question,
            entity=refs[("e", r.entity_id)],
            metric=refs[("m", r.metric_id)],
            unit=r.unit,
            frequency=r.frequency,
            aggregation=r.aggregation,
            direction=r.direction,
            description=r.description,
            tags=list(r.tags),
            targets=targets[r.id],
            version=r.version,
            created_at=as_utc(r.created_at) or r.created_at,
            updated_at=as_utc(r.updated_at) or r.updated_at,
        )
        for r in rows
        if r.id is not None
    ]


def event(
    session: Session, row: Indicator, action: str, actor_id: int | None, **extra: Any
) -> None:
    assert row.id is not None
    audit.record(
        session,
        actor_id=actor_id,
        action=f"indicator.{action}",
        record_type="indicator",
        record_id=row.id,
        version=row.version,
        after={"slug": row.slug, "name": row.name, **extra},
    )


def create(session: Session, data: IndicatorCreate, *, actor_id: int | None) -> Indicator:
    """A new indicator; its unit fixes the dimension its metric and observations must have."""
    try:
        unit, dimension = canonical_unit(data.unit)
    except QuantityError as exc:
        raise InvalidInput(exc.message, field="unit") from exc
    entity, _ = entities.resolve_entity(session, data.entity, actor_id=actor_id)
    metric, _ = entities.resolve_metric(session, data.metric, unit=unit, actor_id=actor_id)
    if metric.dimension != dimension:
        raise InvalidInput(
            f"metric '{metric.slug}' measures {metric.dimension}, not {dimension}", field="unit"
        )
    slug = data.slug or slugify(data.name)
    _free_slug(session, slug, derived=data.slug is None)
    assert entity.id is not None and metric.id is not None
    row = Indicator(
        slug=slug,
        name=data.name,
        question=data.question or "",
        entity_id=entity.id,
        metric_id=metric.id,
        unit=unit,
        dimension=dimension,
        frequency=data.frequency,
        aggregation=data.aggregation or default_aggregation(dimension),
        direction=data.direction,
        description=data.description or "",
        tags=list(data.tags or []),
        created_by_id=actor_id,
    )
    session.add(row)
    session.flush()
    event(session, row, "created", actor_id)
    return row


def update(
    session: Session,
    indicator_id: int,
    data: IndicatorUpdate,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Indicator:
    row = get(session, indicator_id)
    sent = data.model_dump(exclude_unset=True)
    if not sent:
        return row
    for name in ("name", "slug", "frequency", "aggregation", "direction"):
        if name in sent and sent[name] is None:
            raise InvalidInput(f"{name} cannot be null", field=name)
    if "slug" in sent and sent["slug"] != row.slug:
        _free_slug(session, sent["slug"])
    bump_version(session, Indicator, indicator_id, expected_version, "indicator")
    session.refresh(row)
    for name, value in sent.items():
        setattr(row, name, value if value is not None else ("" if name != "tags" else []))
    session.flush()
    event(session, row, "updated", actor_id, changed=sorted(sent))
    return row


@dataclass(frozen=True, slots=True)
class Filters:
    """What a list of indicators is narrowed to; each given filter must hold (AND).

    `entity` and `metric` are an id (digits) or a slug; `q` is found in the name, slug or
    description whatever its case (on SQLite, ASCII letters only fold). A value that names
    nothing narrows the list to nothing: an empty page, not an error.
    """

    entity: str | None = None
    metric: str | None = None
    frequency: str | None = None
    q: str | None = None


def _ref(column: Any, table: Any, ref: str) -> Any:
    if ref.isdigit():
        return column == int(ref) if 0 < int(ref) <= MAX_ID else false()
    return column.in_(select(table.id).where(table.slug == ref).scalar_subquery())


def _contains(text: str) -> Any:
    words = text.lower()
    return or_(
        *(
            func.lower(col(c)).contains(words, autoescape=True)
            for c in (Indicator.name, Indicator.slug, Indicator.description)
        )
    )


def get_all(
    session: Session, *, limit: int, cursor: str | None, filters: Filters | None = None
) -> tuple[list[Indicator], str | None]:
    """A page of indicators by slug, narrowed by `filters`."""
    stmt = select(Indicator).order_by(col(Indicator.slug)).limit(limit + 1)
    f = filters or Filters()
    if f.entity is not None:
        stmt = stmt.where(_ref(col(Indicator.entity_id), Entity, f.entity))
    if f.metric is not None:
        stmt = stmt.where(_ref(col(Indicator.metric_id), Metric, f.metric))
    if f.frequency is not None:
        stmt = stmt.where(col(Indicator.frequency) == f.frequency)
    if f.q:
        stmt = stmt.where(_contains(f.q))
    if cursor is not None:
        (after,) = decode_cursor(cursor, (str,))
        stmt = stmt.where(col(Indicator.slug) > after)
    rows = list(session.execute(stmt).scalars())
    nxt = encode_cursor([rows[limit - 1].slug]) if len(rows) > limit else None
    return rows[:limit], nxt


def rekey(
    session: Session,
    column: Literal["entity_id", "metric_id"],
    gone_id: int,
    into_id: int,
    *,
    actor_id: int | None,
) -> list[int]:
    """The indicators about an entity or metric merged into another (`column` names which) made
    about it: a new version each, with an `indicator.rekeyed` event. Their ids."""
    rows = session.execute(
        select(Indicator)
        .where(col(getattr(Indicator, column)) == gone_id)
        .order_by(col(Indicator.id))
    ).scalars()
    moved: list[int] = []
    for row in rows:
        assert row.id is not None
        setattr(row, column, into_id)
        next_version(session, row)
        event(session, row, "rekeyed", actor_id, **{column: into_id, "merged": gone_id})
        moved.append(row.id)
    return moved
