"""The manage page's observation forms (`indicator_manage.py`): a value added (a new period, or
a new vintage of a known one), a recorded value corrected in place at the version the page
showed, one withdrawn with a reason; each through the flow its API route calls
(`flows.observations`), with the outlier check's confirmation offered when it refuses."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from app.core.errors import AppError, InvalidInput
from app.core.params import PathId
from app.core.sessions import SessionDep
from app.flows import observations as flows
from app.indicators import corrections
from app.indicators.models import ObservationIn, ObservationUpdate
from app.web.indicator_manage import (
    Text,
    Version,
    WriterPost,
    manage_url,
    problem_of,
    refused,
    validated,
)
from app.web.indicators import by_ref
from app.web.render import PageRoute, redirect

router = APIRouter(prefix="/indicators", route_class=PageRoute, include_in_schema=False)

Confirm = Annotated[bool, Form()]


def _body(
    period: str, value_text: str, vintage: str, source_url: str, source_title: str, quote: str
) -> Any:
    """The API's observation body from the form (empty fields left out, as a client leaves
    them; a citation only with its source's address, and the title a new source needs)."""
    body: dict[str, Any] = {"period": period.strip(), "value_text": value_text.strip() or None}
    if vintage.strip():
        body["vintage"] = vintage.strip()
    if source_url.strip():
        body["citation"] = {"url": source_url.strip(), "quote": quote.strip() or None}
        if source_title.strip():
            body["citation"]["title"] = source_title.strip()
    elif quote.strip():
        raise InvalidInput("a quote needs the address of its source", field="citation.url")
    return body


def _at(start: str, end: str) -> dict[str, str]:
    return {"start": start, "end": end} if start and end else {}


@router.post("/{ref}/observations")
def add_observation(
    request: Request,
    session: SessionDep,
    me: WriterPost,
    ref: str,
    period: Text = "",
    value_text: Text = "",
    vintage: Text = "",
    source_url: Text = "",
    source_title: Text = "",
    quote: Text = "",
    confirm: Confirm = False,
    start: Annotated[str, Form(max_length=10)] = "",
    end: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Add a value as `POST /api/v1/indicators/{id}/observations` does: a new period, or a new
    vintage of one already known (sent from that period's vintages: `start`, `end`)."""
    row = by_ref(session, ref)
    assert row.id is not None
    sent = {
        "period": period,
        "value_text": value_text,
        "vintage": vintage,
        "source_url": source_url,
        "source_title": source_title,
        "quote": quote,
    }
    form = "revision" if start else "observation-new"
    try:
        item = validated(
            ObservationIn, _body(period, value_text, vintage, source_url, source_title, quote)
        )
        (stored,) = flows.record(session, row.id, [item], actor_id=me.key.id, confirm=confirm)
    except AppError as error:
        problem = problem_of(error, form, sent, "indicator")
        return refused(request, session, me, ref, error, problem, **_at(start, end))
    return redirect(manage_url(row.slug, "observed", (stored.period_start, stored.period_end)))


@router.post("/{ref}/observations/{observation_id}/correct")
def correct_observation(
    request: Request,
    session: SessionDep,
    me: WriterPost,
    ref: str,
    observation_id: PathId,
    version: Version,
    period: Text = "",
    value_text: Text = "",
    vintage: Text = "",
    confirm: Confirm = False,
) -> Response:
    """Correct a recorded value in place at the version the page showed, as `PATCH
    /api/v1/indicators/{id}/observations/{observation_id}` with If-Match does."""
    row = by_ref(session, ref)
    assert row.id is not None
    before = corrections.get(session, row.id, observation_id)
    at = _at(before.period_start.isoformat(), before.period_end.isoformat())
    sent = {"period": period, "value_text": value_text, "vintage": vintage}
    body = {k: v.strip() for k, v in sent.items() if v.strip()}
    try:
        data = validated(ObservationUpdate, body)
        fixed = flows.correct(
            session,
            row.id,
            observation_id,
            data,
            expected_version=version,
            actor_id=me.key.id,
            confirm=confirm,
        )
    except AppError as error:
        problem = problem_of(error, f"observation-{observation_id}", sent, "value")
        return refused(request, session, me, ref, error, problem, **at)
    return redirect(manage_url(row.slug, "corrected", (fixed.period_start, fixed.period_end)))


@router.post("/{ref}/observations/{observation_id}/withdraw")
def withdraw_observation(
    request: Request,
    session: SessionDep,
    me: WriterPost,
    ref: str,
    observation_id: PathId,
    version: Version,
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Withdraw a value with a reason at the version the page showed, as `DELETE
    /api/v1/indicators/{id}/observations/{observation_id}` with If-Match does."""
    row = by_ref(session, ref)
    assert row.id is not None
    before = corrections.get(session, row.id, observation_id)
    period: tuple[date, date] = (before.period_start, before.period_end)
    at = _at(period[0].isoformat(), period[1].isoformat())
    try:
        if not reason.strip():
            raise InvalidInput("reason: say why it is withdrawn", field="reason")
        flows.withdraw(
            session,
            row.id,
            observation_id,
            reason=reason.strip(),
            expected_version=version,
            actor_id=me.key.id,
        )
    except AppError as error:
        sent = {"reason": reason}
        problem = problem_of(error, f"withdraw-{observation_id}", sent, "value")
        return refused(request, session, me, ref, error, problem, **at)
    return redirect(manage_url(row.slug, "withdrawn", period))
