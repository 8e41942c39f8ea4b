"""`/claims/drafts`: an analyst pastes a paragraph (or a briefing) with its source and gets
every figure in it as a draft claim (`flows.drafts`, as `POST /api/v1/drafts` answers): the text
with each figure marked and a row a draft to edit, untick or keep; confirming sends the ticked
drafts' claims, as edited, through `POST /api/v1/claims:bulk`'s own reading and flow
(`claims.bulk.read_rows`, `flows.claims.create_many`), and shows the claims created or merged
into those stored before, with the flags they raised. Readers and reviewers get 403."""

from dataclasses import dataclass
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Form, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.claims import bulk
from app.claims.models import ClaimKind
from app.core.errors import AppError, FieldProblem, InvalidInput, field_path
from app.core.sessions import SessionDep
from app.drafts.models import MAX_TEXT, DraftRequest, DraftsAnswer
from app.flows import claims, drafts
from app.flows.claims import Created
from app.sources.models import SourceKind
from app.web import draft_view
from app.web.claim_form import WriterPost, reading
from app.web.claims import nav
from app.web.draft_view import Row
from app.web.render import PageRoute, page
from app.web.sessions import SignedInPage

router = APIRouter(prefix="/claims", route_class=PageRoute, include_in_schema=False)

Text = Annotated[str, Form(max_length=MAX_TEXT)]
Field = Annotated[str, Form(max_length=5000)]
Many = Annotated[list[str] | None, Form()]
Numbers = Annotated[list[int] | None, Form()]

PASTE_FIELDS = (
    "text",
    "source_url",
    "source_title",
    "source_publisher",
    "source_published_on",
    "source_kind",
    "said_on",
)
# A field of `POST /api/v1/drafts` -> the paste form's.
PASTE_NAMES = {
    "text": "text",
    "source.url": "source_url",
    "source.title": "source_title",
    "source.publisher": "source_publisher",
    "source.published_on": "source_published_on",
    "source.kind": "source_kind",
    "asserted_on": "said_on",
}


@dataclass
class Paste:
    """The paste form as sent: its values, and the problems found in them."""

    values: dict[str, str]
    problems: dict[str, str]

    @classmethod
    def of(cls, given: dict[str, Any]) -> "Paste":
        values = {name: str(given.get(name) or "").strip() for name in PASTE_FIELDS}
        # A textarea sends its line breaks as CRLF, a hidden field gives them back as LF: the
        # text is read with LF both times, so that its drafts are the same ones.
        values["text"] = str(given.get("text") or "").replace("\r\n", "\n").strip()
        return cls(values, {})

    def request(self) -> DraftRequest | None:
        """The drafts' request (`POST /api/v1/drafts`'s body), or None with the problems."""
        v = self.values
        source = {
            key: v[f"source_{key}"]
            for key in ("url", "title", "publisher", "published_on", "kind")
            if v[f"source_{key}"]
        }
        body: dict[str, Any] = {"text": v["text"]}
        if source:
            body["source"] = source
        if v["said_on"]:
            body["asserted_on"] = v["said_on"]
        try:
            return DraftRequest.model_validate(body)
        except ValidationError as exc:
            for e in exc.errors():
                where = PASTE_NAMES.get(field_path(tuple(e.get("loc", ()))), "text")
                self.problems.setdefault(where, str(e.get("msg", "")))
            return None


def _page(
    request: Request,
    me: SignedInPage,
    paste: Paste,
    *,
    answer: DraftsAnswer | None = None,
    rows: list[Row] | None = None,
    problem: str | None = None,
    created: list[tuple[int, Created]] | None = None,
    checked: int | None = None,
    status: int = 200,
) -> Response:
    context = {
        **nav(me),
        "paste": paste,
        "source_kinds": list(SourceKind),
        "kinds": list(ClaimKind),
        "answer": answer,
        "pieces": draft_view.pieces(
            paste.values["text"], [d.span for d in answer.drafts], answer.skipped
        )
        if answer and not created
        else [],
        "rows": rows or [],
        "problem": problem,
        "created": created,
        "stored": sum(c.stored for _, c in created or []),
        "why_words": draft_view.SKIPPED_WHY,
        "checked": checked,
    }
    return page(request, "claim_drafts.html", context, status=status)


@router.post("/drafts")
def read_text(
    request: Request,
    session: SessionDep,
    me: WriterPost,
    text: Text = "",
    source_url: Field = "",
    source_title: Field = "",
    source_publisher: Field = "",
    source_published_on: Field = "",
    source_kind: Field = "",
    said_on: Field = "",
) -> Response:
    """The text with each figure marked, and a row a draft claim to edit, untick or confirm."""
    paste = Paste.of(locals())
    wanted = paste.request()
    if wanted is None:
        return _page(request, me, paste, status=422)
    answer = drafts.draft_claims(session, wanted)
    rows = [draft_view.row(n, d, None, True) for n, d in enumerate(answer.drafts, start=1)]
    return _page(request, me, paste, answer=answer, rows=rows)


def _edits(lists: dict[str, list[str]], index: int) -> dict[str, str]:
    return {name: values[index] for name, values in lists.items()}


def _checked(session: Session, rows: list[Row]) -> None:
    """Each row read again as edited, by the claim form's preview (the create's own reading)."""
    for r in rows:
        claim = draft_view.claim_of(r)
        got = reading(
            session,
            claim["metric"],
            claim["value_text"],
            claim.get("period", ""),
            str(claim.get("asserted_on") or ""),
        )
        if got["value"]:
            r.read_as = got["value"]["interval"]
        if got["period"]:
            r.period_dates = got["period"]["shown"]
        elif not claim.get("period"):
            r.period_dates = "—"
        for p in got["problems"]:
            where = p["field"] if p["field"] in draft_view.EDITED else "row"
            r.problems.setdefault(where, p["detail"])


@router.post("/drafts/confirm")
def confirm_drafts(
    request: Request,
    session: SessionDep,
    me: WriterPost,
    text: Text = "",
    source_url: Field = "",
    source_title: Field = "",
    source_publisher: Field = "",
    source_published_on: Field = "",
    source_kind: Field = "",
    said_on: Field = "",
    action: Field = "confirm",
    take: Numbers = None,
    value_text: Many = None,
    period: Many = None,
    kind: Many = None,
    entity: Many = None,
    entity_new: Many = None,
    metric: Many = None,
    metric_new: Many = None,
    stated_by: Many = None,
    basis: Many = None,
) -> Response:
    """Store the ticked drafts' claims, as edited, in one `POST /claims:bulk`: all or nothing.
    With action=check, only read the edits again and say what a confirm would refuse."""
    given = locals()
    paste = Paste.of(given)
    wanted = paste.request()
    if wanted is None:
        return _page(request, me, paste, status=422)
    answer = drafts.draft_claims(session, wanted)
    edited = ("value_text", "period", "kind", "entity", "entity_new", "metric", "metric_new")
    lists = {name: list(given[name] or []) for name in (*edited, "stated_by", "basis")}
    if any(len(values) != len(answer.drafts) for values in lists.values()):
        raise InvalidInput(
            f"the text reads as {len(answer.drafts)} drafts, the form sent other rows: "
            "read the text again",
            field="text",
        )
    ticked = set(take or [])
    rows = [
        draft_view.row(n, d, _edits(lists, n - 1), n in ticked)
        for n, d in enumerate(answer.drafts, start=1)
    ]
    sent = [r for r in rows if r.taken]
    if action == "check":
        _checked(session, rows)
    if not sent:
        problem = "no draft is ticked: tick the ones to confirm"
        return _page(request, me, paste, answer=answer, rows=rows, problem=problem, status=422)
    body = orjson.dumps([draft_view.claim_of(r) for r in sent])
    try:
        batch = bulk.read_rows(body, "application/json")  # as POST /claims:bulk reads its body
        if action == "check":
            if any(r.problems for r in sent):
                problem = "a confirm would refuse the drafts marked below: edit or untick them"
                return _page(
                    request, me, paste, answer=answer, rows=rows, problem=problem, status=422
                )
            return _page(request, me, paste, answer=answer, rows=rows, checked=len(batch))
        stored = claims.create_many(session, batch, actor_id=me.key.id)
    except AppError as error:
        session.rollback()  # nothing it wrote before the error stays (a new entity, a source)
        if error.status >= 500:
            raise
        problems = error.errors or [FieldProblem(field=error.field or "", problem=error.title)]
        draft_view.place_problems(sent, problems)
        detail = error.detail or error.title
        return _page(
            request, me, paste, answer=answer, rows=rows, problem=detail, status=error.status
        )
    created = [(r.number, c) for r, c in zip(sent, stored, strict=True)]
    return _page(request, me, Paste.of({}), answer=answer, created=created)
