"""The review queue: a flag, its public shape and detail, open counts, and the listing with its
filters, keyset pages and CSV."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col, select

from app.claims.models import Citation, Claim
from app.core.models import as_utc
from app.core.pagination import decode_cursor, encode_cursor
from app.core.types import decimal_text
from app.entities import service as entities
from app.review import conflict_queries, queue_claims
from app.review.errors import FlagNotFound
from app.review.models import Flag, FlagClaimView, FlagDetail, FlagKind, FlagPublic, FlagStatus
from app.sources.models import Source


def get(session: Session, flag_id: int) -> Flag:
    """A flag, or (a negative id) a claim's verification item (`queue_claims`)."""
    if flag_id < 0:
        return queue_claims.get(session, flag_id)
    flag = session.get(Flag, flag_id)
    if flag is None:
        raise FlagNotFound(f"no flag {flag_id}")
    return flag


def open_counts(session: Session) -> dict[FlagKind, int]:
    """How many flags of each kind are open (every kind, zeros too): the flags' and the
    claims' verification items, in one GROUP BY each."""
    rows = session.execute(
        sa_select(col(Flag.kind), func.count())
        .where(col(Flag.status) == FlagStatus.OPEN)
        .group_by(Flag.kind)
    ).all()
    counts = dict.fromkeys(FlagKind, 0)
    counts.update({FlagKind(kind): n for kind, n in rows})
    counts.update(queue_claims.open_counts(session))
    return counts


def member_ids(session: Session, flag_ids: Sequence[int]) -> dict[int, list[int]]:
    """The claims of each flag; a verification item's is its claim."""
    stored = conflict_queries.members(session, [i for i in flag_ids if i > 0])
    return {
        **{k: sorted(v) for k, v in stored.items()},
        **{i: [-i] for i in flag_ids if i < 0},
    }


def to_public_many(session: Session, flags: Sequence[Flag]) -> list[FlagPublic]:
    members = member_ids(session, [f.id for f in flags if f.id is not None])
    return [
        FlagPublic(
            id=f.id,
            kind=f.kind,
            status=f.status,
            severity=f.severity,
            summary=f.summary,
            entity_id=f.entity_id,
            metric_id=f.metric_id,
            claim_ids=members[f.id],
            claim_count=f.claim_count,
            opened_at=as_utc(f.opened_at) or f.opened_at,
            updated_at=as_utc(f.updated_at) or f.updated_at,
            resolved_at=as_utc(f.resolved_at),
            resolved_by_id=f.resolved_by_id,
            resolution=f.resolution,
            reason=f.reason,
            assignee_id=f.assignee_id,
            version=f.version,
        )
        for f in flags
        if f.id is not None
    ]


def detail(session: Session, flag: Flag) -> FlagDetail:
    """The flag with its claims side by side: as written, as read, and what backs each."""
    public = to_public_many(session, [flag])[0]
    claims = (
        session.execute(
            select(Claim).where(col(Claim.id).in_(public.claim_ids)).order_by(col(Claim.id))
        )
        .scalars()
        .all()
    )
    cites: dict[int, list[dict[str, Any]]] = {c.id: [] for c in claims if c.id is not None}
    stmt = (
        sa_select(
            col(Citation.claim_id),
            col(Citation.quote),
            col(Source.id),
            col(Source.url),
            col(Source.title),
            col(Source.publisher),
            col(Source.kind),
        )
        .join(Source, col(Source.id) == col(Citation.source_id))
        .where(col(Citation.claim_id).in_(public.claim_ids))
        .order_by(col(Citation.id))
    )
    for claim_id, quote, source_id, url, title, publisher, kind in session.execute(stmt):
        cites[claim_id].append(
            {
                "quote": quote,
                "source_id": source_id,
                "url": url,
                "title": title,
                "publisher": publisher,
                "kind": str(kind),
            }
        )
    views = [
        FlagClaimView(
            id=c.id,
            value_text=c.value_text,
            value=decimal_text(c.value) or "0",
            unit=c.unit,
            bound=str(c.bound),
            figure_type=str(c.figure_type),
            low=decimal_text(c.low),
            high=decimal_text(c.high),
            low_open=c.low_open,
            high_open=c.high_open,
            period=c.period_text,
            period_start=c.period_start,
            period_end=c.period_end,
            kind=str(c.kind),
            basis=c.basis,
            stated_by=c.stated_by,
            asserted_on=c.asserted_on,
            status=str(c.status),
            rank=c.rank,
            rank_reason=c.rank_reason,
            citations=cites[c.id],
        )
        for c in claims
        if c.id is not None
    ]
    return FlagDetail(**public.model_dump(), claims=views)


@dataclass(frozen=True)
class FlagFilters:
    kind: FlagKind | None = None
    status: FlagStatus | None = FlagStatus.OPEN
    entity: str | None = None
    metric: str | None = None
    assignee_id: int | None = None
    since: datetime | None = None


QUEUED_KINDS = (FlagKind.UNSOURCED, FlagKind.UNVERIFIED)  # a claim's items (`queue_claims`)
FLAG_SORTS: dict[str, tuple[Any, bool]] = {
    "oldest": (Flag.opened_at, False),
    "newest": (Flag.opened_at, True),
    "most_claims": (Flag.claim_count, True),
    "severity": (Flag.severity, True),
}


def get_all(
    session: Session, filters: FlagFilters, *, sort: str, limit: int, cursor: str | None
) -> tuple[list[Flag], str | None]:
    """A page of the review queue by keyset, and the cursor of the next page: the flags and
    the claims' verification items (`queue_claims`), each read to the page's end and merged."""
    flags_where: list[ColumnElement[bool]] = []
    items_where: list[ColumnElement[bool]] = []
    items = queue_claims.COLUMNS
    if filters.kind is not None:
        flags_where.append(col(Flag.kind) == filters.kind)
        items_where.append(items["kind"] == filters.kind)
    if filters.status is not None:
        flags_where.append(col(Flag.status) == filters.status)
    items_where.append(queue_claims.status_condition(filters.status))
    if filters.entity is not None:
        entity = entities.find_entity(session, filters.entity)
        if entity is None:
            return [], None
        flags_where.append(col(Flag.entity_id) == entity.id)
        items_where.append(items["entity_id"] == entity.id)
    if filters.metric is not None:
        metric = entities.find_metric(session, filters.metric)
        if metric is None:
            return [], None
        flags_where.append(col(Flag.metric_id) == metric.id)
        items_where.append(items["metric_id"] == metric.id)
    if filters.assignee_id is not None:
        flags_where.append(col(Flag.assignee_id) == filters.assignee_id)
        items_where.append(items["assignee_id"] == filters.assignee_id)
    if filters.since is not None:
        flags_where.append(col(Flag.opened_at) >= filters.since)
        items_where.append(items["opened_at"] >= filters.since)
    column, descending = FLAG_SORTS[sort]
    key = column.key
    parts = [(column, col(Flag.id), flags_where), (items[key], items["id"], items_where)]
    if cursor is not None:
        kinds = (datetime if column is Flag.opened_at else int, int)
        value, last_id = decode_cursor(cursor, kinds)
        for by, ident, where in parts:
            past = by < value if descending else by > value
            where.append(or_(past, and_(by == value, ident > last_id)))
    flags = list(
        session.execute(
            select(Flag)
            .where(*flags_where)
            .order_by(column.desc() if descending else column, col(Flag.id))
            .limit(limit + 1)
        ).scalars()
    )
    if filters.kind is None or filters.kind in QUEUED_KINDS:
        by = items[key]
        flags += queue_claims.page(
            session, items_where, [by.desc() if descending else by, items["id"]], limit + 1
        )

    def order(f: Flag) -> tuple[Any, int]:
        value = as_utc(f.opened_at) if key == "opened_at" else getattr(f, key)
        return (value, -(f.id or 0)) if descending else (value, f.id or 0)

    rows = sorted(flags, key=order, reverse=descending)
    nxt = None
    if len(rows) > limit:
        last = rows[limit - 1]
        value = getattr(last, key)
        nxt = encode_cursor([value.isoformat() if isinstance(value, datetime) else value, last.id])
    return rows[:limit], nxt


def iter_csv(session: Session, filters: FlagFilters, *, sort: str) -> Iterator[list[str]]:
    """Every matching flag as a CSV row; the filters are checked before streaming starts."""
    first, cursor = get_all(session, filters, sort=sort, limit=500, cursor=None)
    return _csv_rows(session, filters, sort, first, cursor)


def _csv_rows(
    session: Session, filters: FlagFilters, sort: str, rows: list[Flag], cursor: str | None
) -> Iterator[list[str]]:
    while True:
        for f in to_public_many(session, rows):
            yield [
                str(f.id),
                f.kind,
                f.status,
                str(f.severity),
                str(f.claim_count),
                ";".join(map(str, f.claim_ids)),
                f.opened_at.isoformat(),
                str(f.assignee_id or ""),
                str(f.resolution or ""),
                f.summary,
            ]
        if cursor is None:
            return
        rows, cursor = get_all(session, filters, sort=sort, limit=500, cursor=cursor)


FLAG_CSV_COLUMNS = (
    "id",
    "kind",
    "status",
    "severity",
    "claim_count",
    "claim_ids",
    "opened_at",
    "assignee_id",
    "resolution",
    "summary",
)
