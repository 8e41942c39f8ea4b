"""`/claims/new`: an analyst logs a claim, through the same flow as `POST /api/v1/claims`
(`flows.claims.create_one`), seeing how its value and period are read as they type
(`/claims/preview`, read by `claims.preview`: the create's own reading) and the source a URL
names (`/claims/source`). Readers and reviewers get 403 and never see the form."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import JSONResponse, Response

from app.auth.policy import Permission
from app.claims import preview
from app.claims.models import ClaimCreate, ClaimFields, ClaimKind
from app.core.errors import AppError, InvalidInput, field_path
from app.core.sessions import SessionDep
from app.flows import claims
from app.sources import service as sources
from app.sources.models import SourceKind
from app.web import notices, readings
from app.web.claims import nav
from app.web.render import PAGE_HEADERS, PageRoute, page, redirect
from app.web.sessions import SignedInPage, require, require_post

router = APIRouter(prefix="/claims", route_class=PageRoute, include_in_schema=False)

WriterPage = Annotated[SignedInPage, Depends(require(Permission.WRITE))]
WriterPost = Annotated[SignedInPage, Depends(require_post(Permission.WRITE))]
Field = Annotated[str, Form(max_length=5000)]
Param = Annotated[str, Query(max_length=2048)]

FIELDS = (
    "entity",
    "metric",
    "value_text",
    "period",
    "kind",
    "basis",
    "stated_by",
    "asserted_on",
    "statement",
    "url",
    "quote",
    "source_title",
    "source_publisher",
    "source_kind",
)
# A citation's field as the API names it (citations[0].title) -> the form's.
CITATION_FIELDS = {
    "url": "url",
    "quote": "quote",
    "title": "source_title",
    "publisher": "source_publisher",
    "kind": "source_kind",
}


def form_field(path: str | None, problem: str = "") -> str:
    """The form's field for a field the API names; `form` for the form as a whole."""
    if not path or path == "body":
        return "value_text" if "value_text" in problem else "form"
    if path.startswith("citations"):
        rest = path.split(".", 1)[1] if "." in path else "url"
        return CITATION_FIELDS.get(rest, "url")
    return path if path in FIELDS else "form"


def _form_page(
    request: Request,
    me: SignedInPage,
    values: dict[str, str],
    problems: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {
        **nav(me),
        "values": values,
        "problems": problems or {},
        "kinds": list(ClaimKind),
        "source_kinds": list(SourceKind),
    }
    return page(request, "claim_new.html", context, status=status)


@router.get("/new")
def new_claim(request: Request, me: WriterPage) -> Response:
    """The form to log a claim, with the live preview of its reading."""
    values = dict.fromkeys(FIELDS, "")
    values.update(kind=ClaimKind.ACTUAL.value, asserted_on=date.today().isoformat())
    return _form_page(request, me, values)


def _payload(values: dict[str, str]) -> dict[str, Any]:
    """The API's body for the form's fields (empty ones left out, as a client leaves them)."""
    own = ("entity", "metric", "value_text", "period", "kind", "basis", "stated_by")
    body: dict[str, Any] = {k: values[k] for k in (*own, "asserted_on", "statement") if values[k]}
    if values["url"] or values["quote"]:
        citation = {
            "url": values["url"],
            "quote": values["quote"],
            "title": values["source_title"],
            "publisher": values["source_publisher"],
            "kind": values["source_kind"],
        }
        body["citations"] = [{k: v for k, v in citation.items() if v}]
    return body


@router.post("/new")
def create_claim(
    request: Request,
    session: SessionDep,
    me: WriterPost,
    entity: Field = "",
    metric: Field = "",
    value_text: Field = "",
    period: Field = "",
    kind: Field = "",
    basis: Field = "",
    stated_by: Field = "",
    asserted_on: Field = "",
    statement: Field = "",
    url: Field = "",
    quote: Field = "",
    source_title: Field = "",
    source_publisher: Field = "",
    source_kind: Field = "",
) -> Response:
    """Log the claim as `POST /api/v1/claims` does; then its page, with the notices and flags
    its creation gave. A problem re-renders the form with it beside its field."""
    given = locals()
    values = {name: str(given[name]).strip() for name in FIELDS}
    problems: dict[str, str] = {}
    try:
        data = ClaimCreate.model_validate(_payload(values))
    except ValidationError as exc:
        for e in exc.errors():
            message = str(e.get("msg", ""))
            problems.setdefault(form_field(field_path(tuple(e.get("loc", ()))), message), message)
        return _form_page(request, me, values, problems, status=422)
    try:
        created = claims.create_one(session, data, actor_id=me.key.id)
    except AppError as error:
        session.rollback()  # nothing it wrote before the error stays (a new entity, a source)
        if error.status >= 500:
            raise
        for p in error.errors or []:
            problems.setdefault(form_field(p.field, p.problem), p.problem)
        problems.setdefault(form_field(error.field), error.detail or error.title)
        return _form_page(request, me, values, problems, status=error.status)
    query = [("created", "new" if created.stored else "old")]
    query += [("notice", n) for n in created.public.notices]
    return redirect(notices.signed(me, f"/claims/{created.public.id}", query))


def _json(body: dict[str, Any]) -> Response:
    return JSONResponse(body, headers=PAGE_HEADERS)


def _problem(error: AppError) -> dict[str, Any]:
    return {
        "field": error.field,
        "title": error.title,
        "code": error.code,
        "detail": error.detail or error.title,
    }


def reading(
    session: Session, metric: str, value_text: str, period: str, asserted_on: str
) -> dict[str, Any]:
    """How a create would read this value and period (`claims.preview`), or its problems;
    the live preview's answer, and the draft page's check of an edited row."""
    problems: list[dict[str, Any]] = []
    out: dict[str, Any] = {"value": None, "period": None, "metric": None, "problems": problems}
    try:
        day = date.fromisoformat(asserted_on) if asserted_on else date.today()
    except ValueError:
        problems.append(_problem(InvalidInput("give the date as YYYY-MM-DD", field="asserted_on")))
        day = None
    try:
        fields = ClaimFields(value_text=value_text or None, period=period or None)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = field_path(tuple(first.get("loc", ())))
        problems.append(_problem(InvalidInput(str(first.get("msg", "")), field=where)))
        return out
    if value_text:
        try:
            found, quantity = preview.value(session, metric or None, fields)
            out["value"] = readings.value_reading(quantity)
            if found is not None:
                out["metric"] = {"slug": found.slug, "unit": found.unit, "new": False}
            elif metric:
                out["metric"] = {"slug": None, "unit": quantity.unit, "new": True}
        except AppError as error:
            problems.append(_problem(error))
    if period and day is not None:
        try:
            out["period"] = readings.period_reading(preview.period(period, day))
        except AppError as error:
            problems.append(_problem(error))
    return out


@router.get("/preview")
def preview_reading(
    session: SessionDep,
    _: WriterPage,
    metric: Param = "",
    value_text: Param = "",
    period: Param = "",
    asserted_on: Param = "",
) -> Response:
    """JSON: how the value and period would be read, or the problem a create would answer."""
    return _json(
        reading(session, metric.strip(), value_text.strip(), period.strip(), asserted_on.strip())
    )


@router.get("/source")
def source_lookup(session: SessionDep, _: WriterPage, url: Param = "") -> Response:
    """JSON: the known source at this URL (however it is spelled), or that there is none."""
    if not url.strip():
        return _json({"found": False})
    try:
        source = sources.get_by_url(session, url.strip())
    except AppError as error:
        return _json({"found": False, "problem": error.detail or error.title})
    if source is None:
        return _json({"found": False})
    return _json(
        {
            "found": True,
            "id": source.id,
            "url": source.url,
            "title": source.title,
            "publisher": source.publisher,
            "kind": str(source.kind),
            "published_on": source.published_on.isoformat() if source.published_on else None,
        }
    )
