"""/api/v1/indicators: What-to-Watch indicators, their targets, observations and progress."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from pydantic import BaseModel

from app.api.bodies import raw_body
from app.api.formats import CSV_BODY
from app.api.refs import IndicatorRef
from app.auth.deps import AUTH_ERRORS, Reader, Writer
from app.core.errors import PreconditionFailed, PreconditionRequired, responses
from app.core.etag import etag, expected_version
from app.core.links import BODY_ID, ETAG, by_id, edit, link, success
from app.core.models import utcnow
from app.core.pagination import next_link
from app.core.params import PathId
from app.core.sessions import SessionDep
from app.flows import indicators, observations
from app.idempotency.deps import IDEMPOTENT, IdempotentRoute
from app.idempotency.errors import IDEMPOTENCY_ERRORS
from app.indicators import corrections, service, targets
from app.indicators.errors import (
    IndicatorNotFound,
    ObservationExists,
    ObservationNotFound,
    ObservationOutlier,
    ObservationWithdrawn,
)
from app.indicators.frequency import Frequency
from app.indicators.models import (
    IndicatorCreate,
    IndicatorPage,
    IndicatorPublic,
    IndicatorUpdate,
    ObservationPublic,
    ObservationsCreated,
    ObservationUpdate,
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

Confirm = Annotated[
    bool,
    Query(
        description="store a value more than 100 times larger or smaller than the median of "
        "the series' last 12 values (otherwise refused: 422 observation_outlier)"
    ),
]


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


BY_REF = "its id, or its slug"


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
    entity: Annotated[str | None, Query(min_length=1, max_length=100, description=BY_REF)] = None,
    metric: Annotated[str | None, Query(min_length=1, max_length=100, description=BY_REF)] = None,
    frequency: Frequency | None = None,
    q: Annotated[
        str | None,
        Query(
            min_length=1, max_length=200, description="in the name, slug or description, any case"
        ),
    ] = None,
) -> IndicatorPage:
    """List indicators by slug; the filters given must all hold (none matching: an empty page)."""
    filters = service.Filters(entity=entity, metric=metric, frequency=frequency, q=q)
    rows, nxt = service.get_all(session, limit=limit, cursor=cursor, filters=filters)
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
    _: Reader, indicator_id: IndicatorRef, session: SessionDep, response: Response
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
    key: Writer,
    indicator_id: IndicatorRef,
    data: IndicatorUpdate,
    session: SessionDep,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=200)] = None,
) -> IndicatorPublic:
    """Edit an indicator's name, slug, question, frequency, direction, description or tags;
    If-Match."""
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
    key: Writer, indicator_id: IndicatorRef, data: TargetCreate, session: SessionDep
) -> TargetPublic:
    """Set a target, written as text ("more than $100 billion"), due on a date."""
    target = indicators.add_target(session, indicator_id, data, actor_id=key.id)
    row = service.get(session, indicator_id)
    return next(t for t in service.to_public_many(session, [row])[0].targets if t.id == target.id)


@router.post(
    "/{indicator_id}/observations",
    status_code=status.HTTP_201_CREATED,
    operation_id="indicators_add_observations",
    responses=responses(
        *AUTH_ERRORS, IndicatorNotFound, ObservationExists, ObservationOutlier, *IDEMPOTENCY_ERRORS
    ),
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
    key: Writer,
    indicator_id: IndicatorRef,
    body: Annotated[bytes, Depends(raw_body)],
    request: Request,
    session: SessionDep,
    confirm: Confirm = False,
) -> ObservationsCreated:
    """Add observations, all or nothing; a new value for a known period is a new vintage."""
    items = parse_observations(body, request.headers.get("content-type", ""))
    stored = observations.record(session, indicator_id, items, actor_id=key.id, confirm=confirm)
    return ObservationsCreated(created=len(stored), items=stored)


OBSERVATION = "/{indicator_id}/observations/{observation_id}"
OBS_IDS = {"indicator_id": "$request.path.indicator_id", "observation_id": BODY_ID}
GET_OBS = link("observations_get", "Read the observation again.", **OBS_IDS)
EDIT_OBS = link(
    "observations_correct", "Correct it, at this version.", **OBS_IDS, **{"header.If-Match": ETAG}
)
WITHDRAW_OBS = link(
    "observations_withdraw", "Withdraw it, at this version.", **OBS_IDS, **{"header.If-Match": ETAG}
)
OBS_EDIT_ERRORS = (
    *AUTH_ERRORS,
    IndicatorNotFound,
    ObservationNotFound,
    ObservationWithdrawn,
    PreconditionFailed,
    PreconditionRequired,
)


def _observation(response: Response, row: Any) -> ObservationPublic:
    response.headers["ETag"] = etag("observation", row.id, row.version)
    return corrections.to_public(row)


@router.get(
    OBSERVATION,
    operation_id="observations_get",
    responses={
        **responses(*AUTH_ERRORS, IndicatorNotFound, ObservationNotFound),
        **success(
            200, {"CorrectObservation": EDIT_OBS, "WithdrawObservation": WITHDRAW_OBS}, etag=True
        ),
    },
)
def get_observation(
    indicator_id: IndicatorRef,
    observation_id: PathId,
    session: SessionDep,
    _: Reader,
    response: Response,
) -> ObservationPublic:
    """Get one observation, live or withdrawn, with its version (ETag)."""
    return _observation(response, corrections.get(session, indicator_id, observation_id))


@router.patch(
    OBSERVATION,
    operation_id="observations_correct",
    responses={
        **responses(*OBS_EDIT_ERRORS, ObservationExists, ObservationOutlier),
        **success(
            200,
            {
                "GetObservation": GET_OBS,
                "CorrectObservation": EDIT_OBS,
                "WithdrawObservation": WITHDRAW_OBS,
            },
            etag=True,
        ),
    },
)
def correct_observation(
    indicator_id: IndicatorRef,
    observation_id: PathId,
    data: ObservationUpdate,
    session: SessionDep,
    key: Writer,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=200)] = None,
    confirm: Confirm = False,
) -> ObservationPublic:
    """Correct a recorded value, period, vintage or citation in place; send If-Match."""
    corrections.get(session, indicator_id, observation_id)
    version = expected_version(if_match, "observation", observation_id)
    row = observations.correct(
        session,
        indicator_id,
        observation_id,
        data,
        expected_version=version,
        actor_id=key.id,
        confirm=confirm,
    )
    return _observation(response, row)


@router.delete(
    OBSERVATION,
    operation_id="observations_withdraw",
    responses={
        **responses(*OBS_EDIT_ERRORS),
        **success(200, {"GetObservation": GET_OBS}, etag=True),
    },
)
def withdraw_observation(
    indicator_id: IndicatorRef,
    observation_id: PathId,
    session: SessionDep,
    key: Writer,
    response: Response,
    reason: Annotated[str, Query(min_length=1, max_length=1000, description="why it is withdrawn")],
    if_match: Annotated[str | None, Header(max_length=200)] = None,
) -> ObservationPublic:
    """Withdraw an observation (soft: kept with its history, out of every series); If-Match."""
    corrections.get(session, indicator_id, observation_id)
    version = expected_version(if_match, "observation", observation_id)
    row = observations.withdraw(
        session,
        indicator_id,
        observation_id,
        reason=reason,
        expected_version=version,
        actor_id=key.id,
    )
    return _observation(response, row)


class ProgressOut(BaseModel):
    indicator: str
    as_of: date
    targets: list[TargetProgress]


@router.get(
    "/{indicator_id}/progress",
    operation_id="indicators_progress",
    responses=responses(*AUTH_ERRORS, IndicatorNotFound),
)
def get_progress(_: Reader, indicator_id: IndicatorRef, session: SessionDep) -> ProgressOut:
    """Each target: latest value, % of target, pace still needed, projection, and status."""
    indicator = service.get(session, indicator_id)
    today = utcnow().date()
    return ProgressOut(
        indicator=indicator.slug,
        as_of=today,
        targets=targets.progress_of(session, indicator, today),
    )
