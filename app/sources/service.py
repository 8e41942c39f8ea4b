"""Sources: create, find by canonical URL, update, list, and their derivation graph."""

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import delete, insert
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.core.errors import InvalidInput
from app.core.inlist import in_list
from app.core.models import as_utc
from app.core.pagination import decode_cursor, encode_cursor
from app.core.sessions import lock_keys
from app.core.statements import fetch
from app.core.versioning import bump_version
from app.sources import publishers
from app.sources.errors import SourceExists, SourceNotFound
from app.sources.models import (
    Source,
    SourceCreate,
    SourceDerivation,
    SourceKind,
    SourcePublic,
    SourceUpdate,
)
from app.sources.urls import canonical_url, identity_key


def canonical(url: str, *, field: str = "url") -> str:
    try:
        return canonical_url(url)
    except ValueError as exc:
        raise InvalidInput(str(exc), field=field) from exc


def get(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise SourceNotFound(f"no source {source_id}", field="source_id")
    return source


def get_by_url(session: Session, url: str) -> Source | None:
    """The source at this URL, however its scheme, `www.` or last slash are written."""
    stmt = select(Source).where(Source.url_key == identity_key(canonical(url)))
    return session.execute(stmt).scalar_one_or_none()


def parents(session: Session, source_ids: Iterable[int]) -> dict[int, list[int]]:
    """The direct parents of each source."""
    ids = list(source_ids)
    out: dict[int, list[int]] = {i: [] for i in ids}
    if not ids:
        return out
    stmt = (
        select(SourceDerivation.source_id, SourceDerivation.derived_from_id)
        .where(col(SourceDerivation.source_id).in_(ids))
        .order_by(col(SourceDerivation.derived_from_id))
    )
    for child, parent in session.execute(stmt):
        out[child].append(parent)
    return out


PARENTS_OF = sa_select(
    col(SourceDerivation.source_id), col(SourceDerivation.derived_from_id)
).where(in_list(col(SourceDerivation.source_id), "ids"))


def ancestors_of(session: Session, source_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """For each source, every source it derives from, directly or through a chain."""
    ids = list(source_ids)
    parents_of: dict[int, set[int]] = {}
    queried: set[int] = set()
    frontier = set(ids)
    while frontier:
        queried |= frontier
        for child, parent in fetch(session, PARENTS_OF, {"ids": list(frontier)}):
            parents_of.setdefault(child, set()).add(parent)
        frontier = {p for ps in parents_of.values() for p in ps} - queried

    def climb(source_id: int) -> frozenset[int]:
        found: set[int] = set()
        stack = list(parents_of.get(source_id, ()))
        while stack:
            parent = stack.pop()
            if parent not in found:
                found.add(parent)
                stack.extend(parents_of.get(parent, ()))
        return frozenset(found)

    return {i: climb(i) for i in ids}


def descendants(session: Session, source_id: int) -> set[int]:
    """The source and every source derived from it, directly or through a chain."""
    found = {source_id}
    frontier = {source_id}
    while frontier:
        stmt = select(SourceDerivation.source_id).where(
            col(SourceDerivation.derived_from_id).in_(frontier)
        )
        frontier = set(session.execute(stmt).scalars()) - found
        found |= frontier
    return found


def ancestors(session: Session, source_id: int) -> frozenset[int]:
    return ancestors_of(session, [source_id])[source_id]


def set_parents(session: Session, source_id: int, parent_ids: list[int]) -> None:
    wanted = sorted(set(parent_ids))
    if source_id in wanted:
        raise InvalidInput("a source cannot derive from itself", field="derived_from")
    if wanted:
        stmt = select(Source.id).where(col(Source.id).in_(wanted))
        missing = set(wanted) - set(session.execute(stmt).scalars())
        if missing:
            raise InvalidInput(f"no sources {sorted(missing)}", field="derived_from")
        for parent in wanted:
            if source_id in ancestors(session, parent):
                raise InvalidInput(
                    f"source {parent} already derives from {source_id}: that would be a cycle",
                    field="derived_from",
                )
    session.execute(delete(SourceDerivation).where(col(SourceDerivation.source_id) == source_id))
    if wanted:
        session.execute(
            insert(SourceDerivation),
            [{"source_id": source_id, "derived_from_id": p} for p in wanted],
        )


def to_public(session: Session, source: Source) -> SourcePublic:
    assert source.id is not None
    return SourcePublic(
        id=source.id,
        url=source.url,
        title=source.title,
        publisher=source.publisher,
        publisher_id=source.publisher_id,
        published_on=source.published_on,
        kind=source.kind,
        derived_from=parents(session, [source.id])[source.id],
        version=source.version,
        created_at=as_utc(source.created_at) or source.created_at,
        updated_at=as_utc(source.updated_at) or source.updated_at,
    )


def create(session: Session, data: SourceCreate, *, actor_id: int | None) -> Source:
    """A new source; its canonical URL must be new."""
    url = canonical(data.url)
    key = identity_key(url)
    lock_keys(session, [f"source:{key}"])
    existing = session.execute(select(Source.id).where(Source.url_key == key)).scalar_one_or_none()
    if existing is not None:
        raise SourceExists(
            f"source {existing} has this URL (or the same page at another spelling)",
            field="url",
            headers={"Location": f"/api/v1/sources/{existing}"},
        )
    source = Source(
        url=url,
        url_key=key,
        title=data.title,
        publisher=data.publisher,
        publisher_id=publishers.resolve(session, data.publisher, actor_id=actor_id),
        published_on=data.published_on,
        kind=data.kind,
        created_by_id=actor_id,
    )
    session.add(source)
    session.flush()
    assert source.id is not None
    set_parents(session, source.id, data.derived_from)
    audit.record(
        session,
        actor_id=actor_id,
        action="source.created",
        record_type="source",
        record_id=source.id,
        version=source.version,
        after=to_public(session, source).model_dump(mode="json"),
    )
    return source


def find_or_create(
    session: Session,
    *,
    url: str,
    title: str | None,
    publisher: str | None,
    kind: SourceKind | None,
    published_on: date | None,
    actor_id: int | None,
    field: str,
) -> tuple[Source, bool]:
    """The source with this canonical URL, made from the citation's fields if it is new."""
    url = canonical(url, field=f"{field}.url")
    existing = get_by_url(session, url)
    if existing is not None:
        return existing, False
    lock_keys(session, [f"source:{identity_key(url)}"])
    existing = get_by_url(session, url)
    if existing is not None:
        return existing, False
    if title is None:
        raise InvalidInput("a new source needs a title", field=f"{field}.title")
    data = SourceCreate.model_validate(
        {
            "url": url,
            "title": title,
            "publisher": publisher,
            "published_on": published_on,
            "kind": kind or SourceKind.OTHER,
        }
    )
    return create(session, data, actor_id=actor_id), True


def update_one(
    session: Session,
    source_id: int,
    data: SourceUpdate,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Source:
    """Apply an edit if the source is still at the version the client read (None: any)."""
    source = get(session, source_id)
    before = to_public(session, source).model_dump(mode="json")
    bump_version(session, Source, source_id, expected_version, "source")
    session.refresh(source)
    changes = data.model_dump(exclude_unset=True, exclude={"derived_from"})
    for name, value in changes.items():
        if value is None and name in ("title", "kind"):
            raise InvalidInput(f"{name} cannot be null", field=name)
        setattr(source, name, value)
    if "publisher" in changes:
        source.publisher_id = publishers.resolve(session, data.publisher, actor_id=actor_id)
    if data.derived_from is not None:
        set_parents(session, source_id, data.derived_from)
    session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        action="source.updated",
        record_type="source",
        record_id=source_id,
        version=source.version,
        before=before,
        after=to_public(session, source).model_dump(mode="json"),
    )
    return source


def get_all(
    session: Session,
    *,
    kind: SourceKind | None,
    publisher: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[Source], str | None]:
    """A page of sources in id order, and the cursor of the next page."""
    stmt = select(Source).order_by(col(Source.id)).limit(limit + 1)
    if kind is not None:
        stmt = stmt.where(Source.kind == kind)
    if publisher is not None:
        stmt = stmt.where(Source.publisher == publisher)
    if cursor is not None:
        (after,) = decode_cursor(cursor, (int,))
        stmt = stmt.where(col(Source.id) > after)
    rows = session.execute(stmt).scalars().all()
    nxt = encode_cursor([rows[limit - 1].id]) if len(rows) > limit else None
    return rows[:limit], nxt
