"""`/entities` and `/metrics`: what claims are about and what they measure, with the names each
goes by. Who may write edits the aliases (at the version the page showed, as If-Match does on
the API); a reviewer or an admin merges one record into another. Both through the flows the
API calls (`flows.entities`, `flows.merges`)."""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.auth.policy import Permission
from app.core.errors import AppError, PreconditionFailed
from app.core.pagination import decode_cursor, encode_cursor
from app.core.params import PathId
from app.core.sessions import SessionDep
from app.entities import aliases as names
from app.entities import service
from app.entities.aliases import ENTITY, METRIC, Kind
from app.entities.models import EntityAliasesUpdate
from app.flows import entities, merges
from app.web import notices
from app.web.render import PageRoute, page, redirect
from app.web.sessions import SignedIn, SignedInPage, require_post
from app.web.tables import PAGE_SIZE, Cell, first_url, next_url, restart, signed_in_context

router = APIRouter(route_class=PageRoute, include_in_schema=False)

Writer = Annotated[SignedInPage, Depends(require_post(Permission.WRITE))]
Reviewer = Annotated[SignedInPage, Depends(require_post(Permission.REVIEW))]
Cursor = Annotated[str | None, Query(max_length=300)]
Version = Annotated[int, Form(ge=1)]
# The records a merge form offers to merge into (by slug): enough for any list people keep.
MERGE_CHOICES = 500


@dataclass(frozen=True)
class Names:
    """Entities or metrics as pages: their kind, titles, and the flows that change them."""

    kind: Kind
    plural: str  # "entities": the list's title
    path: str  # where its pages are: `/metrics` is the Prometheus scrape, so metrics' elsewhere

    @property
    def title(self) -> str:
        return self.plural.capitalize()

    def rows(self, session: Session, *, q: str | None, after: str | None, limit: int) -> Any:
        if self.kind is ENTITY:
            return service.get_all_entities(session, q=q, after=after, limit=limit)
        return service.get_all_metrics(session, after=after, limit=limit)

    def change_aliases(
        self, session: Session, record_id: int, aliases: list[str], **kw: Any
    ) -> Any:
        change = entities.change_aliases if self.kind is ENTITY else entities.change_metric_aliases
        return change(session, record_id, aliases, **kw)

    def merge(self, session: Session, gone_id: int, into_id: int, **kw: Any) -> Any:
        merge = merges.merge_entity if self.kind is ENTITY else merges.merge_metric
        return merge(session, gone_id, into_id, **kw)


ENTITIES = Names(ENTITY, "entities", "/entities")
METRICS = Names(METRIC, "metrics", "/measures")


def _list_page(
    request: Request, session: Session, me: SignedInPage, of: Names, q: str | None, cursor: Any
) -> Response:
    after = None
    if cursor is not None:
        (after,) = decode_cursor(cursor, (str,))
    rows = list(of.rows(session, q=q or None, after=after, limit=PAGE_SIZE + 1))
    nxt = encode_cursor([rows[PAGE_SIZE - 1].slug]) if len(rows) > PAGE_SIZE else None
    rows = rows[:PAGE_SIZE]
    found = names.aliases_of(session, of.kind, [r.id for r in rows])
    columns = ["Name", "Slug", "Aliases"]
    if of.kind is METRIC:
        columns[2:2] = ["Dimension", "Unit"]
    table = []
    for r in rows:
        cells = [Cell(r.name, href=f"{of.path}/{r.id}"), Cell(r.slug, code=True)]
        if of.kind is METRIC:
            cells += [Cell(r.dimension), Cell(r.unit, code=True)]
        table.append([*cells, Cell("", items=[Cell(a) for a in found[r.id]])])
    context = signed_in_context(
        me,
        title=of.title,
        intro=f"Every {of.kind.name} claims can name, with the names it goes by.",
        columns=columns,
        rows=table,
        search=of.kind is ENTITY,
        q=q or "",
        next_url=next_url(request, nxt),
        first_url=first_url(request),
    )
    return page(request, "list.html", context)


def _record_page(
    request: Request,
    session: Session,
    me: SignedInPage,
    of: Names,
    record_id: int,
    *,
    status: int = 200,
    error: str = "",
    aliases_sent: str | None = None,
    saved: str = "",
) -> Response:
    record = names.get(session, of.kind, record_id)
    found = names.aliases_of(session, of.kind, [record_id])[record_id]
    others = [
        r for r in of.rows(session, q=None, after=None, limit=MERGE_CHOICES) if r.id != record_id
    ]
    context = signed_in_context(
        me,
        of=of,
        record=record,
        aliases=found,
        aliases_text="\n".join(found) if aliases_sent is None else aliases_sent,
        others=others,
        can_edit=me.may(Permission.WRITE),
        can_merge=me.may(Permission.REVIEW),
        error=error,
        saved=saved,
    )
    return page(request, "record.html", context, status=status)


def _refused(
    request: Request,
    session: Session,
    me: SignedInPage,
    of: Names,
    record_id: int,
    error: AppError,
    aliases_sent: str | None = None,
) -> Response:
    """The record's page again, saying why the form was refused; nothing of it kept."""
    restart(session)
    message = error.detail or error.title
    if isinstance(error, PreconditionFailed):
        message = (
            f"Not saved: this {of.kind.name} was changed since you loaded the page ({message}). "
            "The page below shows it as it is now; make your change again."
        )
        aliases_sent = None
    return _record_page(
        request,
        session,
        me,
        of,
        record_id,
        status=error.status,
        error=message,
        aliases_sent=aliases_sent,
    )


def _aliases(sent: str) -> list[str]:
    """One alias a line, blank lines left out."""
    return [line.strip() for line in sent.splitlines() if line.strip()]


def _change_aliases(
    request: Request,
    session: Session,
    me: SignedInPage,
    of: Names,
    record_id: int,
    version: int,
    sent: str,
) -> Response:
    names.get(session, of.kind, record_id)  # 404 first, as the API
    try:
        data = EntityAliasesUpdate(aliases=_aliases(sent))  # the API's limits, metrics' alike
    except ValidationError as exc:
        restart(session)
        detail = "; ".join(str(e["msg"]) for e in exc.errors())
        message = f"Check the aliases: {detail}."
        return _record_page(
            request, session, me, of, record_id, status=422, error=message, aliases_sent=sent
        )
    try:
        record = of.change_aliases(
            session, record_id, data.aliases, expected_version=version, actor_id=me.key.id
        )
    except AppError as error:
        return _refused(request, session, me, of, record_id, error, sent)
    saved = [("saved", f"aliases-{record.version}")]
    return redirect(notices.signed(me, f"{of.path}/{record_id}", saved))


def _merge(
    request: Request,
    session: Session,
    me: SignedInPage,
    of: Names,
    record_id: int,
    version: int,
    into: int,
) -> Response:
    try:
        survivor = of.merge(session, record_id, into, expected_version=version, actor_id=me.key.id)
    except AppError as error:
        if error.status == 404:  # the record itself is gone: its own page says where
            raise
        return _refused(request, session, me, of, record_id, error)
    return redirect(
        notices.signed(me, f"{of.path}/{survivor.id}", [("saved", f"merged-{record_id}")])
    )


for _of in (ENTITIES, METRICS):

    def _routes(of: Names) -> None:
        @router.get(f"{of.path}", name=f"{of.plural}_page")
        def list_page(
            request: Request,
            session: SessionDep,
            me: SignedIn,
            q: Annotated[str | None, Query(max_length=200)] = None,
            cursor: Cursor = None,
        ) -> Response:
            """A page of records by slug, with their aliases."""
            return _list_page(request, session, me, of, q, cursor)

        @router.get(f"{of.path}/{{record_id}}", name=f"{of.kind.name}_page")
        def record_page(
            request: Request,
            record_id: PathId,
            session: SessionDep,
            me: SignedIn,
            saved: Annotated[str, Query(max_length=40)] = "",
            sig: notices.Signature = "",
        ) -> Response:
            """One record with its aliases, and the forms the key's role may send (`saved`:
            what the form before it did, to say so)."""
            if not notices.genuine(request, me, f"{of.path}/{record_id}", sig):
                saved = ""  # a link made elsewhere says nothing was saved
            return _record_page(request, session, me, of, record_id, saved=saved)

        @router.post(f"{of.path}/{{record_id}}/aliases")
        def change_aliases(
            request: Request,
            record_id: PathId,
            session: SessionDep,
            me: Writer,
            version: Version,
            aliases: Annotated[str, Form(max_length=20000)] = "",
        ) -> Response:
            """Replace the aliases, at the version the page showed."""
            return _change_aliases(request, session, me, of, record_id, version, aliases)

        @router.post(f"{of.path}/{{record_id}}/merge")
        def merge(
            request: Request,
            record_id: PathId,
            session: SessionDep,
            me: Reviewer,
            version: Version,
            into: Annotated[int, Form(ge=1)],
        ) -> Response:
            """Fold this record into another, at the version the page showed."""
            return _merge(request, session, me, of, record_id, version, into)

    _routes(_of)
