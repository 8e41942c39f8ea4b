"""/api/v1/indicators/{id}/targets/{target_id}: a target changed or removed, at the version of
its indicator (targets are part of the indicator: its ETag covers them)."""

from typing import Annotated

from fastapi import APIRouter, Header, Response

from app.api.refs import IndicatorRef
from app.auth.deps import AUTH_ERRORS, Writer
from app.core.errors import PreconditionFailed, PreconditionRequired, responses
from app.core.etag import etag, expected_version
from app.core.links import by_id, success
from app.core.params import PathId
from app.core.sessions import SessionDep
from app.flows import indicators
from app.indicators import service
from app.indicators.errors import IndicatorNotFound, TargetNotFound
from app.indicators.models import IndicatorPublic, TargetUpdate
from app.indicators.targets import get_target

router = APIRouter(prefix="/api/v1/indicators", tags=["indicators"])

TARGET = "/{indicator_id}/targets/{target_id}"
GET = by_id("indicators_get", "indicator_id", "Read the indicator again.")
ERRORS = (
    *AUTH_ERRORS,
    IndicatorNotFound,
    TargetNotFound,
    PreconditionFailed,
    PreconditionRequired,
)
IfMatch = Annotated[
    str | None, Header(max_length=200, description="the indicator's ETag (its version)")
]


def _public(session: SessionDep, response: Response, indicator_id: int) -> IndicatorPublic:
    row = service.get(session, indicator_id)
    response.headers["ETag"] = etag("indicator", indicator_id, row.version)
    return service.to_public_many(session, [row])[0]


@router.patch(
    TARGET,
    operation_id="targets_update",
    responses={
        **responses(*ERRORS),
        **success(200, {"GetIndicator": GET}, etag=True),
    },
)
def update_target(
    key: Writer,
    indicator_id: IndicatorRef,
    target_id: PathId,
    data: TargetUpdate,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> IndicatorPublic:
    """Change a target's value, due date or period; If-Match: the indicator's ETag. Answers
    the indicator with its targets."""
    get_target(session, indicator_id, target_id)
    version = expected_version(if_match, "indicator", indicator_id)
    indicators.update_target(
        session, indicator_id, target_id, data, expected_version=version, actor_id=key.id
    )
    return _public(session, response, indicator_id)


@router.delete(
    TARGET,
    operation_id="targets_remove",
    responses={**responses(*ERRORS), **success(200, {"GetIndicator": GET}, etag=True)},
)
def remove_target(
    key: Writer,
    indicator_id: IndicatorRef,
    target_id: PathId,
    session: SessionDep,
    response: Response,
    if_match: IfMatch = None,
) -> IndicatorPublic:
    """Remove a target (its fields kept in the indicator's event, its open target_missed flag
    closed); If-Match: the indicator's ETag. Answers the indicator with its targets."""
    get_target(session, indicator_id, target_id)
    version = expected_version(if_match, "indicator", indicator_id)
    indicators.remove_target(
        session, indicator_id, target_id, expected_version=version, actor_id=key.id
    )
    return _public(session, response, indicator_id)
