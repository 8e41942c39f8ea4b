"""`/indicators/{slug}/manage` and `/indicators/new`: an indicator's fields, its targets and its
observations with their vintages, for the roles the API lets write them (a reader sees the
page without its forms). Each form calls the flow its API route calls (`flows.indicators`,
`flows.observations`: `observation_forms.py`); a refused form shows the page again with the
API's problem text, nothing of it kept."""

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Form, Query, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.auth.policy import Permission
from app.core.errors import AppError, InvalidInput, PreconditionFailed, field_path
from app.core.models import utcnow
from app.core.params import PathId
from app.core.sessions import SessionDep
from app.flows import indicators as flows
from app.indicators import corrections, observations, service, targets
from app.indicators.aggregation import Aggregation
from app.indicators.frequency import Frequency
from app.indicators.models import (
    Direction,
    IndicatorCreate,
    IndicatorPublic,
    IndicatorUpdate,
    TargetCreate,
    TargetUpdate,
)
from app.web.indicators import by_ref
from app.web.numbers import readable
from app.web.render import PageRoute, page, redirect
from app.web.sessions import SignedInPage, require, require_post
from app.web.tables import PAGE_SIZE, first_url, next_url, restart, signed_in_context

router = APIRouter(prefix="/indicators", route_class=PageRoute, include_in_schema=False)

ReaderPage = Annotated[SignedInPage, Depends(require(Permission.READ))]
WriterPage = Annotated[SignedInPage, Depends(require(Permission.WRITE))]
WriterPost = Annotated[SignedInPage, Depends(require_post(Permission.WRITE))]
Text = Annotated[str, Form(max_length=5000)]
Version = Annotated[int, Form(ge=1)]
Cursor = Annotated[str | None, Query(max_length=300)]
Day = Annotated[str, Query(max_length=10)]

M = TypeVar("M", bound=BaseModel)

# What the form before the page did (`?done=`), said on the page after the redirect.
DONE = {
    "created": "Indicator created. Add its targets and its values below.",
    "updated": "Indicator saved.",
    "unchanged": "Nothing to save: the form held the indicator as it is.",
    "target-added": "Target added.",
    "target-changed": "Target changed.",
    "target-removed": "Target removed.",
    "observed": "Value added.",
    "corrected": "Value corrected.",
    "withdrawn": "Value withdrawn: it is kept here, out of every series.",
}
EDIT_FIELDS = ("name", "slug", "question", "frequency", "aggregation", "direction", "description")
NEW_FIELDS = ("name", "question", "entity", "metric", "unit", "slug", *EDIT_FIELDS[3:], "tags")


@dataclass
class Problem:
    """A refused form: which form (`edit`, `target-new`, `target-3`, `observation-new`,
    `observation-7`, `withdraw-7`), the field the API names, its words, and what was sent."""

    form: str
    text: str
    field: str | None = None
    code: str = ""
    sent: dict[str, str] = dataclasses.field(default_factory=dict)


def validated(model: type[M], payload: dict[str, Any]) -> M:
    """The API's body model read from a form's fields; a refusal is the API's problem (the
    field and its message, as `POST` would answer 422)."""
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = field_path(tuple(first.get("loc", ())))
        raise InvalidInput(f"{where}: {first.get('msg', '')}", field=where) from None


# A field as the API names it -> the form's input that holds it.
FORM_FIELDS = {
    "value": "value_text",
    "unit": "value_text",
    "citation": "source_url",
    "citation.url": "source_url",
    "citation.title": "source_title",
    "citation.source_id": "source_url",
    "citation.quote": "quote",
}


def problem_of(error: AppError, form: str, sent: dict[str, str], what: str) -> Problem:
    """The words a refused form shows: the API's detail (a one-row batch's: its row's), or for
    a stale version what to do."""
    text, where = error.detail or error.title, error.field
    if error.errors and len(error.errors) == 1 and error.errors[0].row == 1:
        text, where = error.errors[0].problem, error.errors[0].field.removeprefix("[1].")
    where = FORM_FIELDS.get(where or "", where)
    if isinstance(error, PreconditionFailed):
        text = (
            f"Not saved: this {what} changed since you loaded the page ({text}). The page below "
            "shows it as it is now; make your change again."
        )
        sent = {}
    return Problem(form, text, where, error.code, sent)


def _period(start: str, end: str) -> tuple[date, date] | None:
    if not start and not end:
        return None
    try:
        return date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        raise InvalidInput("give the period's start and end as YYYY-MM-DD", field="start") from None


def manage_page(
    request: Request,
    session: Session,
    me: SignedInPage,
    ref: str,
    *,
    done: str = "",
    problem: Problem | None = None,
    start: str = "",
    end: str = "",
    cursor: str | None = None,
) -> Response:
    """The page: the indicator's fields and form, its targets with their status, a page of its
    observations, and the vintages of one period (`start`, `end`) when one is asked for."""
    row = by_ref(session, ref)
    assert row.id is not None
    i: IndicatorPublic = service.to_public_many(session, [row])[0]
    status = {p.target_id: p.status for p in targets.progress_of(session, row, utcnow().date())}
    rows, nxt = observations.get_all(session, row.id, limit=PAGE_SIZE, cursor=cursor)
    period = _period(start, end)
    vintages = (
        observations.get_all(session, row.id, limit=PAGE_SIZE, period=period)[0] if period else []
    )
    context = signed_in_context(
        me,
        i=i,
        status=status,
        rows=[corrections.to_public(r) for r in rows],
        period=period,
        vintages=[corrections.to_public(r) for r in vintages],
        readable=lambda value: readable(value, row.unit),
        can_write=me.may(Permission.WRITE),
        done=DONE.get(done, ""),
        problem=problem,
        frequencies=[f.value for f in Frequency],
        aggregations=[a.value for a in Aggregation],
        directions=[d.value for d in Direction],
        next_url=next_url(request, nxt),
        first_url=first_url(request),
    )
    return page(request, "indicator_manage.html", context, status=422 if problem else 200)


def refused(
    request: Request,
    session: Session,
    me: SignedInPage,
    ref: str,
    error: AppError,
    problem: Problem,
    **period: str,
) -> Response:
    """The page again, saying why the form was refused; its transaction rolled back first."""
    restart(session)
    if error.status == 404 and error.code == "indicator_not_found":
        raise error
    response = manage_page(request, session, me, ref, problem=problem, **period)
    response.status_code = error.status
    return response


def manage_url(slug: str, done: str, period: tuple[date, date] | None = None) -> str:
    where = f"&start={period[0]}&end={period[1]}#vintages" if period else ""
    return f"/indicators/{slug}/manage?done={done}{where}"


@router.get("/new")
def new_indicator(request: Request, me: WriterPage) -> Response:
    """The form to register an indicator."""
    values = dict.fromkeys(NEW_FIELDS, "")
    values.update(frequency=Frequency.IRREGULAR.value, direction=Direction.NEUTRAL.value)
    return _new_page(request, me, values)


def _new_page(
    request: Request, me: SignedInPage, values: dict[str, str], problem: Problem | None = None
) -> Response:
    context = signed_in_context(
        me,
        values=values,
        problem=problem,
        frequencies=[f.value for f in Frequency],
        aggregations=[a.value for a in Aggregation],
        directions=[d.value for d in Direction],
    )
    status = 422 if problem else 200
    return page(request, "indicator_new.html", context, status=status)


def _tags(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


@router.post("/new")
def create_indicator(
    request: Request,
    session: SessionDep,
    me: WriterPost,
    name: Text = "",
    question: Text = "",
    entity: Text = "",
    metric: Text = "",
    unit: Text = "",
    slug: Text = "",
    frequency: Text = "",
    aggregation: Text = "",
    direction: Text = "",
    description: Text = "",
    tags: Text = "",
) -> Response:
    """Register the indicator as `POST /api/v1/indicators` does; then its manage page."""
    given = locals()
    values = {k: str(given[k]).strip() for k in NEW_FIELDS}
    body: dict[str, Any] = {k: v for k, v in values.items() if v and k != "tags"}
    if values["tags"]:
        body["tags"] = _tags(values["tags"])
    try:
        row = flows.create(session, validated(IndicatorCreate, body), actor_id=me.key.id)
    except AppError as error:
        restart(session)  # nothing it made stays (an entity or a metric made on the fly)
        text = error.detail or error.title
        return _new_page(request, me, values, Problem("new", text, error.field, error.code))
    return redirect(manage_url(row.slug, "created"))


@router.get("/{ref}/manage")
def manage(
    request: Request,
    session: SessionDep,
    me: ReaderPage,
    ref: str,
    done: Annotated[str, Query(max_length=40)] = "",
    start: Day = "",
    end: Day = "",
    cursor: Cursor = None,
) -> Response:
    """The indicator's fields, targets and observations; the vintages of one period."""
    return manage_page(request, session, me, ref, done=done, start=start, end=end, cursor=cursor)


@router.post("/{ref}/edit")
def edit_indicator(
    request: Request,
    session: SessionDep,
    me: WriterPost,
    ref: str,
    version: Version,
    name: Text = "",
    slug: Text = "",
    question: Text = "",
    frequency: Text = "",
    aggregation: Text = "",
    direction: Text = "",
    description: Text = "",
    tags: Text = "",
) -> Response:
    """Save the fields that differ from the indicator's, at the version the page showed, as
    `PATCH /api/v1/indicators/{id}` with If-Match does."""
    row = by_ref(session, ref)
    assert row.id is not None
    given = locals()
    sent = {k: str(given[k]).strip() for k in (*EDIT_FIELDS, "tags")}
    now = service.to_public_many(session, [row])[0].model_dump(mode="json")
    changed: dict[str, Any] = {k: v for k, v in sent.items() if k != "tags" and v != now[k]}
    if _tags(sent["tags"]) != now["tags"]:
        changed["tags"] = _tags(sent["tags"])
    if not changed and row.version == version:
        return redirect(manage_url(row.slug, "unchanged"))
    try:
        if not changed:  # nothing to apply, but the page was of an older version: say so
            raise PreconditionFailed(f"indicator {row.id} is no longer at version {version}")
        data = validated(IndicatorUpdate, changed)
        saved = flows.update(session, row.id, data, expected_version=version, actor_id=me.key.id)
    except AppError as error:
        return refused(
            request, session, me, ref, error, problem_of(error, "edit", sent, "indicator")
        )
    return redirect(manage_url(saved.slug, "updated"))


def _target_body(value_text: str, due_on: str, period_start: str) -> dict[str, Any]:
    body: dict[str, Any] = {"value_text": value_text.strip(), "due_on": due_on.strip()}
    body["period_start"] = period_start.strip() or None
    return body


@router.post("/{ref}/targets")
def add_target(
    request: Request,
    session: SessionDep,
    me: WriterPost,
    ref: str,
    value_text: Text = "",
    due_on: Text = "",
    period_start: Text = "",
) -> Response:
    """Set a target as `POST /api/v1/indicators/{id}/targets` does."""
    row = by_ref(session, ref)
    assert row.id is not None
    sent = {"value_text": value_text, "due_on": due_on, "period_start": period_start}
    try:
        data = validated(TargetCreate, _target_body(value_text, due_on, period_start))
        flows.add_target(session, row.id, data, actor_id=me.key.id)
    except AppError as error:
        problem = problem_of(error, "target-new", sent, "indicator")
        return refused(request, session, me, ref, error, problem)
    return redirect(manage_url(row.slug, "target-added"))


@router.post("/{ref}/targets/{target_id}")
def change_target(
    request: Request,
    session: SessionDep,
    me: WriterPost,
    ref: str,
    target_id: PathId,
    version: Version,
    value_text: Text = "",
    due_on: Text = "",
    period_start: Text = "",
) -> Response:
    """Change a target at the indicator's version the page showed, as `PATCH
    /api/v1/indicators/{id}/targets/{target_id}` does."""
    row = by_ref(session, ref)
    assert row.id is not None
    sent = {"value_text": value_text, "due_on": due_on, "period_start": period_start}
    try:
        data = validated(TargetUpdate, _target_body(value_text, due_on, period_start))
        flows.update_target(
            session, row.id, target_id, data, expected_version=version, actor_id=me.key.id
        )
    except AppError as error:
        problem = problem_of(error, f"target-{target_id}", sent, "indicator")
        return refused(request, session, me, ref, error, problem)
    return redirect(manage_url(row.slug, "target-changed"))


@router.post("/{ref}/targets/{target_id}/remove")
def remove_target(
    request: Request,
    session: SessionDep,
    me: WriterPost,
    ref: str,
    target_id: PathId,
    version: Version,
) -> Response:
    """Remove a target at the indicator's version the page showed, as `DELETE
    /api/v1/indicators/{id}/targets/{target_id}` does."""
    row = by_ref(session, ref)
    assert row.id is not None
    try:
        flows.remove_target(
            session, row.id, target_id, expected_version=version, actor_id=me.key.id
        )
    except AppError as error:
        problem = problem_of(error, f"target-{target_id}", {}, "indicator")
        return refused(request, session, me, ref, error, problem)
    return redirect(manage_url(row.slug, "target-removed"))
