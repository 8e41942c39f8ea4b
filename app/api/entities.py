"""/api/v1/entities and /api/v1/metrics: what claims are about and what they measure."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response, status
from pydantic import BaseModel

from app.auth.deps import AUTH_ERRORS, Reader, Reviewer, Writer
from app.core.errors import PreconditionFailed, PreconditionRequired, responses
from app.core.etag import etag, expected_version
from app.core.links import by_id, edit, link, success
from app.core.models import as_utc
from app.core.pagination import decode_cursor, encode_cursor, next_link
from app.core.params import PathId
from app.core.sessions import SessionDep
from app.entities import service
from app.entities.errors import EntityNotFound, MetricNotFound, NameTaken
from app.entities.models import (
    Entity,
    EntityAliasesUpdate,
    EntityCreate,
    EntityPublic,
    Merge,
    Metric,
    MetricAliasesUpdate,
    MetricCreate,
    MetricPublic,
)
from app.flows import entities, merges
from app.idempotency.deps import IDEMPOTENT, IdempotentRoute
from app.idempotency.errors import IDEMPOTENCY_ERRORS

router = APIRouter(prefix="/api/v1", tags=["entities"], route_class=IdempotentRoute)
Limit = Annotated[int, Query(ge=1, le=500)]
Cursor = Annotated[str | None, Query(max_length=300)]

GET_ENTITY = by_id("entities_get", "entity_id", "Read the entity again.")
EDIT_ENTITY = edit(
    "entities_update", "entity_id", "Change the aliases, at the version this response shows."
)
CLAIMS_ABOUT = link("claims_list", "Claims about the entity.", entity="$response.body#/slug")
GET_METRIC = by_id("metrics_get", "metric_id", "Read the metric again.")
EDIT_METRIC = edit(
    "metrics_update", "metric_id", "Change the aliases, at the version this response shows."
)
CLAIMS_OF = link("claims_list", "Claims of the metric.", metric="$response.body#/slug")


class EntityPage(BaseModel):
    items: list[EntityPublic]
    next: str | None


class MetricPage(BaseModel):
    items: list[MetricPublic]
    next: str | None


def _after(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    (slug,) = decode_cursor(cursor, (str,))
    return str(slug)


def entities_public(session: SessionDep, rows: list[Entity]) -> list[EntityPublic]:
    aliases = service.aliases_of(session, [e.id for e in rows if e.id is not None])
    return [
        EntityPublic(
            id=e.id,
            slug=e.slug,
            name=e.name,
            aliases=aliases[e.id],
            version=e.version,
            created_at=as_utc(e.created_at) or e.created_at,
            updated_at=as_utc(e.updated_at) or e.updated_at,
        )
        for e in rows
        if e.id is not None
    ]


def metrics_public(session: SessionDep, rows: list[Metric]) -> list[MetricPublic]:
    aliases = service.metric_aliases_of(session, [m.id for m in rows if m.id is not None])
    return [
        MetricPublic(
            id=m.id,
            slug=m.slug,
            name=m.name,
            aliases=aliases[m.id],
            dimension=m.dimension,
            unit=m.unit,
            version=m.version,
            created_at=as_utc(m.created_at) or m.created_at,
            updated_at=as_utc(m.updated_at) or m.updated_at,
        )
        for m in rows
        if m.id is not None
    ]


def _metric_tagged(session: SessionDep, response: Response, metric: Metric) -> MetricPublic:
    assert metric.id is not None
    response.headers["ETag"] = etag("metric", metric.id, metric.version)
    return metrics_public(session, [metric])[0]


@router.post(
    "/entities",
    status_code=status.HTTP_201_CREATED,
    operation_id="entities_create",
    responses={
        **responses(*AUTH_ERRORS, NameTaken, *IDEMPOTENCY_ERRORS),
        **success(
            201,
            {"GetEntity": GET_ENTITY, "EditEntity": EDIT_ENTITY, "ClaimsAboutEntity": CLAIMS_ABOUT},
            etag=True,
            location=True,
        ),
    },
    dependencies=[IDEMPOTENT],
)
def create_entity(
    data: EntityCreate, session: SessionDep, key: Writer, response: Response
) -> EntityPublic:
    """Register an entity with its aliases."""
    entity = entities.create_entity(session, data, actor_id=key.id)
    response.headers["Location"] = f"/api/v1/entities/{entity.id}"
    return _tagged(session, response, entity)


def _tagged(session: SessionDep, response: Response, entity: Entity) -> EntityPublic:
    assert entity.id is not None
    response.headers["ETag"] = etag("entity", entity.id, entity.version)
    return entities_public(session, [entity])[0]


@router.get("/entities", operation_id="entities_list", responses=responses(*AUTH_ERRORS))
def list_entities(
    request: Request,
    session: SessionDep,
    _: Reader,
    q: Annotated[str | None, Query(max_length=200, description="part of any alias")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> EntityPage:
    """List entities by slug, optionally those with an alias containing `q`."""
    rows = list(service.get_all_entities(session, q=q, after=_after(cursor), limit=limit + 1))
    nxt = encode_cursor([rows[limit - 1].slug]) if len(rows) > limit else None
    return EntityPage(items=entities_public(session, rows[:limit]), next=next_link(request, nxt))


@router.get(
    "/entities/{entity_id}",
    operation_id="entities_get",
    responses={
        **responses(*AUTH_ERRORS, EntityNotFound),
        **success(200, {"EditEntity": EDIT_ENTITY, "ClaimsAboutEntity": CLAIMS_ABOUT}, etag=True),
    },
)
def get_entity(
    entity_id: PathId, session: SessionDep, _: Reader, response: Response
) -> EntityPublic:
    """Get one entity with its aliases."""
    return _tagged(session, response, service.get_entity(session, entity_id))


@router.patch(
    "/entities/{entity_id}",
    operation_id="entities_update",
    responses={
        **responses(
            *AUTH_ERRORS, EntityNotFound, NameTaken, PreconditionFailed, PreconditionRequired
        ),
        **success(200, {"GetEntity": GET_ENTITY, "EditEntity": EDIT_ENTITY}, etag=True),
    },
)
def update_entity(
    entity_id: PathId,
    data: EntityAliasesUpdate,
    session: SessionDep,
    key: Writer,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=200)] = None,
) -> EntityPublic:
    """Replace an entity's aliases (its name and slug always stay); send If-Match."""
    service.get_entity(session, entity_id)
    version = expected_version(if_match, "entity", entity_id)
    entity = entities.change_aliases(
        session, entity_id, data.aliases, expected_version=version, actor_id=key.id
    )
    return _tagged(session, response, entity)


@router.post(
    "/entities/{entity_id}/merge",
    operation_id="entities_merge",
    responses={
        **responses(*AUTH_ERRORS, EntityNotFound),
        **success(200, {"GetEntity": GET_ENTITY, "EditEntity": EDIT_ENTITY}, etag=True),
    },
)
def merge_entity(
    entity_id: PathId, data: Merge, session: SessionDep, key: Reviewer, response: Response
) -> EntityPublic:
    """Fold this entity into `into` (a reviewer's or an admin's call): its claims, indicators
    and flags move there, its names become aliases there, the moved claims are checked anew
    for conflicts, and it is gone (404 naming `into`). Answers the entity that stays."""
    entity = merges.merge_entity(session, entity_id, data.into, actor_id=key.id)
    return _tagged(session, response, entity)


@router.post(
    "/metrics",
    status_code=status.HTTP_201_CREATED,
    operation_id="metrics_create",
    responses={
        **responses(*AUTH_ERRORS, NameTaken, *IDEMPOTENCY_ERRORS),
        **success(
            201,
            {"GetMetric": GET_METRIC, "EditMetric": EDIT_METRIC, "ClaimsOfMetric": CLAIMS_OF},
            etag=True,
            location=True,
        ),
    },
    dependencies=[IDEMPOTENT],
)
def create_metric(
    data: MetricCreate, session: SessionDep, key: Writer, response: Response
) -> MetricPublic:
    """Register a metric, the unit its values are kept in, and its aliases."""
    metric = entities.create_metric(session, data, actor_id=key.id)
    response.headers["Location"] = f"/api/v1/metrics/{metric.id}"
    return _metric_tagged(session, response, metric)


@router.get("/metrics", operation_id="metrics_list", responses=responses(*AUTH_ERRORS))
def list_metrics(
    request: Request, session: SessionDep, _: Reader, limit: Limit = 50, cursor: Cursor = None
) -> MetricPage:
    """List metrics by slug."""
    rows = list(service.get_all_metrics(session, after=_after(cursor), limit=limit + 1))
    nxt = encode_cursor([rows[limit - 1].slug]) if len(rows) > limit else None
    return MetricPage(items=metrics_public(session, rows[:limit]), next=next_link(request, nxt))


@router.get(
    "/metrics/{metric_id}",
    operation_id="metrics_get",
    responses={
        **responses(*AUTH_ERRORS, MetricNotFound),
        **success(200, {"EditMetric": EDIT_METRIC, "ClaimsOfMetric": CLAIMS_OF}, etag=True),
    },
)
def get_metric(
    metric_id: PathId, session: SessionDep, _: Reader, response: Response
) -> MetricPublic:
    """Get one metric with its aliases."""
    return _metric_tagged(session, response, service.get_metric(session, metric_id))


@router.patch(
    "/metrics/{metric_id}",
    operation_id="metrics_update",
    responses={
        **responses(
            *AUTH_ERRORS, MetricNotFound, NameTaken, PreconditionFailed, PreconditionRequired
        ),
        **success(200, {"GetMetric": GET_METRIC, "EditMetric": EDIT_METRIC}, etag=True),
    },
)
def update_metric(
    metric_id: PathId,
    data: MetricAliasesUpdate,
    session: SessionDep,
    key: Writer,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=200)] = None,
) -> MetricPublic:
    """Replace a metric's aliases (its name, slug and unit always stay); send If-Match."""
    service.get_metric(session, metric_id)
    version = expected_version(if_match, "metric", metric_id)
    metric = entities.change_metric_aliases(
        session, metric_id, data.aliases, expected_version=version, actor_id=key.id
    )
    return _metric_tagged(session, response, metric)


@router.post(
    "/metrics/{metric_id}/merge",
    operation_id="metrics_merge",
    responses={
        **responses(*AUTH_ERRORS, MetricNotFound),
        **success(200, {"GetMetric": GET_METRIC, "EditMetric": EDIT_METRIC}, etag=True),
    },
)
def merge_metric(
    metric_id: PathId, data: Merge, session: SessionDep, key: Reviewer, response: Response
) -> MetricPublic:
    """Fold this metric into `into`, of the same dimension (a reviewer's or an admin's call):
    its claims, indicators and flags move there, its names become aliases there, the moved
    claims are checked anew for conflicts, and it is gone (404 naming `into`). Answers the
    metric that stays."""
    metric = merges.merge_metric(session, metric_id, data.into, actor_id=key.id)
    return _metric_tagged(session, response, metric)
