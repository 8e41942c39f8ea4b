"""Claims listed: filters, a keyset page, and every match as CSV rows."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import Integer, Row, and_, bindparam, exists, or_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.claims import search
from app.claims.models import (
    Citation,
    Claim,
    ClaimKind,
    ClaimRecord,
    ClaimStatus,
    ClaimTag,
)
from app.claims.storage import CLAIMS
from app.claims.view import records
from app.core.errors import InvalidInput
from app.core.pagination import decode_cursor, encode_cursor
from app.core.statements import fetch
from app.entities import service as entities
from app.quantities import FigureType


@dataclass(frozen=True)
class ClaimFilters:
    entity: str | None = None
    metric: str | None = None
    kind: ClaimKind | None = None
    figure_type: FigureType | None = None
    tag: str | None = None
    source: int | None = None
    period_from: date | None = None
    period_to: date | None = None
    status: ClaimStatus | None = ClaimStatus.ACTIVE
    q: str | None = None
    rank: str | None = None
    verification: str | None = None
    verdict: str | None = None


SORTS: dict[str, tuple[Any, bool]] = {
    "id": (Claim.id, False),
    "-id": (Claim.id, True),
    "asserted_on": (Claim.asserted_on, False),
    "-asserted_on": (Claim.asserted_on, True),
}
# sort=relevance, the default when `q` is given: the best match first (its score, lower
# first: `search.hits`), then the newest; the cursor carries the score and the id. A score
# depends on the claim's text (on SQLite on the whole index's too: bm25 weighs a word by how
# rare it is), so claims written between two pages may move; an unchanged index pages
# without repeats or gaps.
RELEVANCE = "relevance"


def resolve_sort(sort: str | None, filters: ClaimFilters) -> str:
    """The sort asked for; without one, relevance when searching, else newest first."""
    if sort is None:
        return RELEVANCE if filters.q else "-id"
    if sort == RELEVANCE and not filters.q:
        raise InvalidInput("sort=relevance needs q, the words to rank by", field="sort")
    return sort


def _filter_values(session: Session, filters: ClaimFilters) -> dict[str, Any] | None:
    """The bound value of each filter that is set, by the name of its condition in `FILTERS`
    (`q`: the search, joined by `Listing`); None when a named entity or metric does not exist."""
    values: dict[str, Any] = {}
    if filters.q:
        values["q"] = search.match_text(filters.q, session.get_bind().dialect.name)
    if filters.entity is not None:
        entity = entities.find_entity(session, filters.entity)
        if entity is None:
            return None
        values["entity_id"] = entity.id
    if filters.metric is not None:
        metric = entities.find_metric(session, filters.metric)
        if metric is None:
            return None
        values["metric_id"] = metric.id
    if filters.period_from and filters.period_to and filters.period_from > filters.period_to:
        raise InvalidInput("`from` is after `to`", field="from")
    set_ = {
        "kind": filters.kind,
        "figure_type": filters.figure_type,
        "status": filters.status,
        "tag": filters.tag.lower() if filters.tag is not None else None,
        "source": filters.source,
        "period_to": filters.period_to,
        "period_from": filters.period_from,
        "rank": filters.rank if filters.rank != "best" else None,
        "best_rank": True if filters.rank == "best" else None,
        "verification": filters.verification,
        "verdict": filters.verdict,
    }
    values.update((name, value) for name, value in set_.items() if value is not None)
    return values


# Each filter's condition, with its value as a bind parameter of the same name. "best_rank"
# (rank=best) joins the claims to the flags they are in: `Listing` is given it from above.
FILTERS: dict[str, Any] = {
    "entity_id": col(Claim.entity_id) == bindparam("entity_id"),
    "metric_id": col(Claim.metric_id) == bindparam("metric_id"),
    "kind": col(Claim.kind) == bindparam("kind"),
    "figure_type": col(Claim.figure_type) == bindparam("figure_type"),
    "status": col(Claim.status) == bindparam("status"),
    "tag": exists().where(
        col(ClaimTag.claim_id) == col(Claim.id), col(ClaimTag.tag) == bindparam("tag")
    ),
    "source": exists().where(
        col(Citation.claim_id) == col(Claim.id), col(Citation.source_id) == bindparam("source")
    ),
    "period_to": and_(
        col(Claim.period_end).is_not(None),
        or_(col(Claim.period_start).is_(None), col(Claim.period_start) <= bindparam("period_to")),
    ),
    "period_from": col(Claim.period_end) >= bindparam("period_from"),
    "rank": col(Claim.rank) == bindparam("rank"),
    "verification": col(Claim.verification) == bindparam("verification"),
    "verdict": col(Claim.verdict) == bindparam("verdict"),
}


class Listing:
    """Claim pages under a set of filter conditions (`FILTERS`, and any a higher layer adds),
    each page's statement built once per shape."""

    def __init__(self, conditions: dict[str, Any]) -> None:
        self.conditions = conditions
        self._page = lru_cache(maxsize=256)(self._build)

    def _build(self, shape: frozenset[str], sort: str, after: bool, dialect: str) -> Any:
        """The statement of a claim page with these filters set: the values, the cursor and
        the limit are bind parameters."""
        conds = [self.conditions[name] for name in sorted(shape - {"q"})]
        columns: list[Any] = [*CLAIMS.c]
        claims: Any = CLAIMS
        hits = search.hits(dialect)
        if "q" in shape:  # the matches, joined with their score
            claims = CLAIMS.join(hits, hits.c.claim_id == col(Claim.id))
            columns.append(hits.c.score.label("search_score"))
        column: Any
        if sort == RELEVANCE:  # the best score first, then the newest (`resolve_sort`: q set)
            column, descending, id_descending = hits.c.score, False, True
        else:
            column, descending = SORTS[sort]
            id_descending = descending
        last_id = col(Claim.id)
        order = [
            column.desc() if descending else column,
            last_id.desc() if id_descending else last_id,
        ]
        if after:
            value = bindparam("after_value", type_=column.type)
            last: Any = bindparam("after_id", type_=Integer)
            id_after = last_id < last if id_descending else last_id > last
            if column is Claim.id:
                conds.append(id_after)
            else:
                beyond = column < value if descending else column > value
                conds.append(or_(beyond, and_(column == value, id_after)))
        stmt = sa_select(*columns).select_from(claims).where(*conds)
        return stmt.order_by(*order).limit(bindparam("limit"))

    def get_all(
        self,
        session: Session,
        filters: ClaimFilters,
        *,
        sort: str | None,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[Row[Any]], str | None]:
        """A page of claims by keyset, and the cursor of the next page."""
        sort = resolve_sort(sort, filters)
        values = _filter_values(session, filters)
        if values is None:
            return [], None
        params = {**values, "limit": limit + 1}
        if cursor is not None:
            after, last_id = decode_cursor(cursor, _cursor_kinds(sort))
            params.update(after_value=after, after_id=last_id)
        dialect = session.get_bind().dialect.name
        stmt = self._page(frozenset(values), sort, cursor is not None, dialect)
        rows = list(fetch(session, stmt, params))
        nxt = encode_cursor(_cursor_values(rows[limit - 1], sort)) if len(rows) > limit else None
        return rows[:limit], nxt

    def iter_csv_rows(
        self, session: Session, filters: ClaimFilters, *, sort: str | None, batch: int = 500
    ) -> Iterator[list[str]]:
        """Every matching claim as a CSV row, fetched a keyset page at a time.

        The filters are checked now, before the first byte is sent: a stream cannot turn into
        a 422."""
        sort = resolve_sort(sort, filters)
        _filter_values(session, filters)
        return self._csv_rows(session, filters, sort=sort, batch=batch)

    def _csv_rows(
        self, session: Session, filters: ClaimFilters, *, sort: str, batch: int
    ) -> Iterator[list[str]]:
        cursor: str | None = None
        while True:
            rows, cursor = self.get_all(session, filters, sort=sort, limit=batch, cursor=cursor)
            for c in records(session, rows):
                yield csv_row(c)
            session.expunge_all()
            if cursor is None:
                return


def _cursor_kinds(sort: str) -> tuple[type, type]:
    if sort == RELEVANCE:
        return (float, int)
    column, _ = SORTS[sort]
    return (date if column is Claim.asserted_on else int, int)


def _cursor_values(claim: Row[Any], sort: str) -> list[Any]:
    if sort == RELEVANCE:  # a page's row, with its score
        return [claim.search_score, claim.id]
    column, _ = SORTS[sort]
    value = getattr(claim, column.key)
    return [value.isoformat() if isinstance(value, date) else value, claim.id]


CSV_COLUMNS = (
    "id",
    "entity",
    "metric",
    "value_text",
    "value",
    "unit",
    "bound",
    "low",
    "high",
    "period",
    "period_start",
    "period_end",
    "kind",
    "basis",
    "stated_by",
    "asserted_on",
    "statement",
    "tags",
    "sources",
    "status",
    "version",
    "figure_type",  # new columns go last: the columns before them keep their places
    "value_is_index",
    "citations",
)


def csv_row(c: ClaimRecord) -> list[str]:
    return [
        str(c.id),
        c.entity.slug,
        c.metric.slug,
        c.value_text,
        c.value,
        c.unit,
        c.bound,
        c.low or "",
        c.high or "",
        c.period or "",
        c.period_start.isoformat() if c.period_start else "",
        c.period_end.isoformat() if c.period_end else "",
        c.kind,
        c.basis or "",
        c.stated_by,
        c.asserted_on.isoformat(),
        c.statement,
        ";".join(c.tags),
        ";".join(str(x.source.id) for x in c.citations),
        c.status,
        str(c.version),
        c.figure_type,
        "true" if c.value_is_index else "false",
        citations_cell(c),
    ]


def citations_cell(c: ClaimRecord) -> str:
    """Every citation with its source as `POST /claims:bulk` reads one (a JSON array): what
    makes the export import into an empty database. Empty fields are left out."""
    if not c.citations:
        return ""
    cells = [
        {
            k: v
            for k, v in {
                "url": x.source.url,
                "title": x.source.title,
                "publisher": x.source.publisher,
                "published_on": x.source.published_on.isoformat()
                if x.source.published_on
                else None,
                "kind": x.source.kind,
                "quote": x.quote,
            }.items()
            if v
        }
        for x in c.citations
    ]
    return orjson.dumps(cells).decode()
