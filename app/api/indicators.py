"""/api/v1/indicators: What-to-Watch indicators, their targets, observations and progress."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from pydantic import BaseModel

from app.api.bodies import raw_body
from app.api.formats import CSV_BODY
from app.auth.deps import AUTH_ERRORS, Reader, Writer
from app.core.errors import PreconditionFailed, PreconditionRequired, responses
from app.core.etag import etag, expected_version
from app.core.links import by_id, edit, success
from app.core.models import utcnow
from app.core.pagination import next_link
from app.core.params import PathId
from app.core.sessions import SessionDep
from app.flows import indicators, observations
from app.idempotency.deps import IDEMPOTENT, IdempotentRoute
from app.idempotency.errors import IDEMPOTENCY_ERRORS
from app.indicators import service, targets
from app.indicators.errors import IndicatorNotFound, ObservationExists
from app.indicators.models import (
    IndicatorCreate,
    IndicatorPage,
    IndicatorPublic,
    IndicatorUpdate,
    ObservationsCreated,
    TargetCreate,
    TargetProgress,
    TargetPublic,
)
from app.indicators.observations import parse_observations

router = APIRouter(prefix="/api/v1/indicators", tags=["indicators"], route_class=IdempotentRoute)

GET = by_id("indicators_get", "indicator_id", "Read the indicator again.")
EDIT = edit(
    "indicators_update", "indicator_id", "Edit the indicator, at the version this response shows."
)
OBSERVE = by_id("indicators_add_observations", "indicator_id", "Add observations.")
TARGET = by_id("indicators_add_target", "indicator_id", "Set a target.")
SERIES = by_id("indicators_series", "indicator_id", "The indicator's series.")
PROGRESS = by_id("indicators_progress", "indicator_id", "Progress towards its targets.")


def _public(session: SessionDep, response: Response, row: Any) -> IndicatorPublic:
    response.headers["ETag"] = etag("indicator", row.id, row.version)
    return service.to_public_many(session, [row])[0]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="indicators_create",
    responses={
        **responses(*AUTH_ERRORS, *IDEMPOTENCY_ERRORS),
        **success(
            201,
            {
                "GetIndicator": GET,
                "EditIndicator": EDIT,
                "AddObservations": OBSERVE,
                "AddTarget": TARGET,
                "Series": SERIES,
                "Progress": PROGRESS,
            },
            etag=True,
            location=True,
        ),
    },
    dependencies=[IDEMPOTENT],
)
def create_indicator(
    data: IndicatorCreate, session: SessionDep, key: Writer, response: Response
) -> IndicatorPublic:
    """Register an indicator: the question, what it measures, its unit and frequency."""
    row = indicators.create(session, data, actor_id=key.id)
    response.headers["Location"] = f"/api/v1/indicators/{row.id}"
    return _public(session, response, row)


class Checked(BaseModel):
    checked: int


@router.post(":check", operation_id="indicators_check", responses=responses(*AUTH_ERRORS))
def check_indicators(session: SessionDep, key: Writer) -> Checked:
    """Open or close target_missed and stale flags for every indicator, as of today."""
    return Checked(checked=indicators.check_all(session, utcnow().date(), actor_id=key.id))


@router.get("", operation_id="indicators_list", responses=responses(*AUTH_ERRORS))
def list_indicators(
    request: Request,
    session: SessionDep,
    _: Reader,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
) -> IndicatorPage:
    """List indicators by slug."""
    rows, nxt = service.get_all(session, limit=limit, cursor=cursor)
    return IndicatorPage(items=service.to_public_many(session, rows), next=next_link(request, nxt))


@router.get(
    "/{indicator_id}",
    operation_id="indicators_get",
    responses={
        **responses(*AUTH_ERRORS, IndicatorNotFound),
        **success(
            200,
            {"EditIndicator": EDIT, "AddObservations": OBSERVE, "Series": SERIES},
            etag=True,
        ),
    },
)
def get_indicator(
    indicator_id: PathId, session: SessionDep, _: Reader, response: Response
) -> IndicatorPublic:
    """Get one indicator with its targets."""
    return _public(session, response, service.get(session, indicator_id))


@router.patch(
    "/{indicator_id}",
    operation_id="indicators_update",
    responses={
        **responses(*AUTH_ERRORS, IndicatorNotFound, PreconditionFailed, PreconditionRequired),
        **success(
            200, {"GetIndicator": GET, "EditIndicator": EDIT, "Progress": PROGRESS}, etag=True
        ),
    },
)
def update_indicator(
    indicator_id: PathId,
    data: IndicatorUpdate,
    session: SessionDep,
    key: Writer,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=200)] = None,
) -> IndicatorPublic:
    """Edit an indicator's name, question, frequency, direction, description or tags; If-Match."""
    service.get(session, indicator_id)
    version = expected_version(if_match, "indicator", indicator_id)
    row = indicators.update(session, indicator_id, data, expected_version=version, actor_id=key.id)
    return _public(session, response, row)


@router.post(
    "/{indicator_id}/targets",
    status_code=status.HTTP_201_CREATED,
    operation_id="indicators_add_target",
    responses=responses(*AUTH_ERRORS, IndicatorNotFound, *IDEMPOTENCY_ERRORS),
    dependencies=[IDEMPOTENT],
)
def add_target(
    indicator_id: PathId, data: TargetCreate, session: SessionDep, key: Writer
) -> TargetPublic:
    """Set a target, written as text ("more than $100 billion"), due on a date."""
    target = indicators.add_target(session, indicator_id, data, actor_id=key.id)
    row = service.get(session, indicator_id)
    return next(t for t in service.to_public_many(session, [row])[0].targets if t.id == target.id)


@router.post(
    "/{indicator_id}/observations",
    status_code=status.HTTP_201_CREATED,
    operation_id="indicators_add_observations",
    responses=responses(*AUTH_ERRORS, IndicatorNotFound, ObservationExists, *IDEMPOTENCY_ERRORS),
    dependencies=[IDEMPOTENT],
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "One observation, a JSON array of them, or CSV with a header row "
            "(period, value_text or value + unit, vintage, source_url, source_title, quote).",
            "content": {
                "application/json": {
                    "schema": {
                        "anyOf": [
                            {"$ref": "#/components/schemas/ObservationIn"},
                            {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/ObservationIn"},
                            },
                        ]
                    }
                },
                "text/csv": CSV_BODY,
            },
        }
    },
)
def add_observations(
    indicator_id: PathId,
    body: Annotated[bytes, Depends(raw_body)],
    request: Request,
    session: SessionDep,
    key: Writer,
) -> ObservationsCreated:
    """Add observations, all or nothing; a new value for a known period is a new vintage."""
    items = parse_observations(body, request.headers.get("content-type", ""))
    stored = observations.record(session, indicator_id, items, actor_id=key.id)
    return ObservationsCreated(created=len(stored), items=stored)


class ProgressOut(BaseModel):
    indicator: str
    as_of: date
    targets: list[TargetProgress]


@router.get(
    "/{indicator_id}/progress",
    operation_id="indicators_progress",
    responses=responses(*AUTH_ERRORS, IndicatorNotFound),
)
def get_progress(indicator_id: PathId, session: SessionDep, _: Reader) -> ProgressOut:
    """Each target: latest value, % of target, pace still needed, projection, and status."""
    indicator = service.get(session, indicator_id)
    today = utcnow().date()
    return ProgressOut(
        indicator=indicator.slug,
        as_of=today,
        targets=targets.progress_of(session, indicator, today),
    )
