"""Series: pages of points as known on a date, streamed CSV, their ETag, and derived series."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, tuple_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.core.errors import InvalidInput
from app.core.pagination import decode_cursor, encode_cursor
from app.core.statements import fetch
from app.core.types import decimal_text
from app.indicators.errors import IndicatorNotFound
from app.indicators.frequency import cadence
from app.indicators.models import Indicator, Observation, ObservationStatus
from app.indicators.service import get
from app.indicators.transforms import Aggregate, Point, Rollup, Transform, roll_up, transform

MAX_JSON_POINTS = 10_000


@dataclass(frozen=True)
class SeriesQuery:
    start: date | None = None
    end: date | None = None
    as_of: date | None = None
    all_vintages: bool = False


Key = tuple[date, date, date, int]


def _series_stmt(
    indicator_id: int,
    q: SeriesQuery,
    after: Key | None,
    limit: int | None,
    *,
    newest_first: bool = False,
) -> Any:
    """Points in (period_end, period_start, vintage, id) order, after a keyset position."""
    conds = [
        col(Observation.indicator_id) == indicator_id,
        col(Observation.status) == ObservationStatus.LIVE,  # a withdrawn value is in no series
    ]
    if q.start is not None:
        conds.append(col(Observation.period_end) >= q.start)
    if q.end is not None:
        conds.append(col(Observation.period_end) <= q.end)
    if q.as_of is not None:
        conds.append(col(Observation.vintage) <= q.as_of)
    cols = (
        col(Observation.period_start),
        col(Observation.period_end),
        col(Observation.value),
        col(Observation.vintage),
        col(Observation.id),
    )
    if q.all_vintages:
        src: Any = sa_select(*cols).where(*conds).subquery()
        stmt = sa_select(src)
    else:
        # The value known on as_of: per period, the latest vintage not after it.
        newest = (
            func.row_number()
            .over(
                partition_by=(col(Observation.period_start), col(Observation.period_end)),
                order_by=(col(Observation.vintage).desc(), col(Observation.id).desc()),
            )
            .label("newest")
        )
        src = sa_select(*cols, newest).where(*conds).subquery()
        stmt = sa_select(
            src.c.period_start, src.c.period_end, src.c.value, src.c.vintage, src.c.id
        ).where(src.c.newest == 1)
    order = (src.c.period_end, src.c.period_start, src.c.vintage, src.c.id)
    if after is not None:
        stmt = stmt.where(tuple_(*order) > tuple_(*after))
    stmt = stmt.order_by(*(c.desc() for c in order)) if newest_first else stmt.order_by(*order)
    return stmt.limit(limit) if limit is not None else stmt


def series_page(
    session: Session, indicator_id: int, q: SeriesQuery, *, limit: int, cursor: str | None
) -> tuple[list[list[str]], str | None]:
    """Points [period_end, value(, vintage)] after the cursor; the next cursor, if any."""
    get(session, indicator_id)
    after: Key | None = None
    if cursor:
        end, start, vintage, last_id = decode_cursor(cursor, (date, date, date, int))
        after = (end, start, vintage, last_id)
    rows = session.execute(_series_stmt(indicator_id, q, after, limit + 1)).all()
    nxt = None
    if len(rows) > limit:
        last = rows[limit - 1]
        nxt = encode_cursor(
            [
                last.period_end.isoformat(),
                last.period_start.isoformat(),
                last.vintage.isoformat(),
                last.id,
            ]
        )
    return [_point(r, q) for r in rows[:limit]], nxt


def _point(row: Any, q: SeriesQuery) -> list[str]:
    point = [row.period_end.isoformat(), decimal_text(row.value) or "0"]
    if q.all_vintages:
        point.append(row.vintage.isoformat())
    return point


def iter_series_csv(session: Session, indicator_id: int, q: SeriesQuery) -> Iterator[list[str]]:
    """Every point, streamed: rows are fetched in chunks, never all held in memory."""
    get(session, indicator_id)
    return _csv_points(session, indicator_id, q)


def _csv_points(session: Session, indicator_id: int, q: SeriesQuery) -> Iterator[list[str]]:
    result = session.execute(
        _series_stmt(indicator_id, q, None, None), execution_options={"yield_per": 2000}
    )
    for row in result:
        yield [row.period_start.isoformat(), *_point(row, q)]


_OF_SERIES = col(Observation.indicator_id) == bindparam("id")
SERIES_STATE = sa_select(
    col(Indicator.version),
    col(Indicator.created_at),
    sa_select(func.count()).where(_OF_SERIES).scalar_subquery(),
    sa_select(func.max(col(Observation.id))).where(_OF_SERIES).scalar_subquery(),
    sa_select(func.sum(col(Observation.version))).where(_OF_SERIES).scalar_subquery(),
).where(col(Indicator.id) == bindparam("id"))


def series_etag(session: Session, indicator_id: int, query_string: str) -> str:
    """Changes whenever an observation arrives, the indicator is edited or the query changes.

    A revision is a new vintage (a new row: their count and newest id tell it); a correction or
    a withdrawal takes the observation's next version (the sum of versions tells it). The
    series cache relies on it."""
    state = fetch(session, SERIES_STATE, {"id": indicator_id})
    if not state:
        raise IndicatorNotFound(f"no indicator {indicator_id}")
    digest = hashlib.sha256(f"{indicator_id}:{state}:{query_string}".encode()).hexdigest()
    return f'"series-{indicator_id}-{digest[:16]}"'


MAX_DERIVED_INPUT = 200_000


def derived_series(
    session: Session,
    indicator: Indicator,
    q: SeriesQuery,
    *,
    rollup: Rollup | None,
    how: Aggregate,
    change: Transform,
) -> list[list[str]]:
    """A rolled-up and/or transformed series; computed whole, so its input is capped."""
    if q.all_vintages:
        raise InvalidInput("vintages=all cannot be rolled up or transformed", field="vintages")
    assert indicator.id is not None
    rows = session.execute(_series_stmt(indicator.id, q, None, MAX_DERIVED_INPUT + 1)).all()
    if len(rows) > MAX_DERIVED_INPUT:
        raise InvalidInput(
            f"more than {MAX_DERIVED_INPUT} points to derive from: narrow from/to", field="from"
        )
    points: list[Point] = [(r.period_end, r.value) for r in rows]
    if rollup is not None:
        points = roll_up(points, rollup, how)
    regular = cadence(rollup.value if rollup is not None else str(indicator.frequency))
    if change is Transform.PC1 and regular is None:
        raise InvalidInput("pc1 needs a regular frequency: pass frequency=", field="transform")
    points = transform(points, change, regular.per_year if regular is not None else 1)
    if len(points) > MAX_JSON_POINTS:
        raise InvalidInput(
            f"more than {MAX_JSON_POINTS} points: roll up further or narrow from/to",
            field="frequency",
        )
    return [[day.isoformat(), decimal_text(value) or "0"] for day, value in points]


def recent_points(session: Session, indicator_id: int, n: int) -> list[tuple[date, Any]]:
    """The newest `n` points as known today, oldest first."""
    rows = session.execute(
        _series_stmt(indicator_id, SeriesQuery(), None, n, newest_first=True)
    ).all()
    return [(r.period_end, r.value) for r in reversed(rows)]
