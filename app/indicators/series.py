"""Series: pages of points as known on a date, streamed CSV, their ETag, and derived series."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, bindparam, func, tuple_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.core.errors import InvalidInput
from app.core.pagination import decode_cursor, encode_cursor
from app.core.statements import fetch
from app.core.types import decimal_text
from app.indicators import aggregation
from app.indicators.errors import IndicatorNotFound
from app.indicators.frequency import CADENCES, Cadence, Frequency, cadence
from app.indicators.models import Indicator, Observation, ObservationStatus
from app.indicators.service import get
from app.indicators.transforms import (
    Aggregate,
    Lags,
    Observed,
    Partial,
    Point,
    Rollup,
    Transform,
    bucket_lags,
    native_lags,
    roll_up,
    transform,
)

MAX_JSON_POINTS = 10_000


@dataclass(frozen=True)
class SeriesQuery:
    start: date | None = None
    end: date | None = None
    as_of: date | None = None
    all_vintages: bool = False
    started_by: date | None = None  # periods that start on or before this day
    first_release: bool = False  # per period the first vintage (not after as_of), not the newest
    realtime: bool = False  # each point also carries the vintage that replaced it, if any


Key = tuple[date, date, date, int]


def _series_stmt(
    indicator_id: int | None,
    q: SeriesQuery,
    after: Key | None,
    limit: int | None,
    *,
    newest_first: bool = False,
) -> Any:
    """Points in (period_end, period_start, vintage, id) order, after a keyset position.
    `indicator_id` None: every indicator's points, each with its indicator_id (last)."""
    conds = [] if indicator_id is None else [col(Observation.indicator_id) == indicator_id]
    conds.append(col(Observation.status) == ObservationStatus.LIVE)  # a withdrawn value: no series
    if q.start is not None:
        conds.append(col(Observation.period_end) >= q.start)
    if q.end is not None:
        conds.append(col(Observation.period_end) <= q.end)
    if q.started_by is not None:
        conds.append(col(Observation.period_start) <= q.started_by)
    cols: list[Any] = [
        col(Observation.period_start),
        col(Observation.period_end),
        col(Observation.value),
        col(Observation.vintage),
        col(Observation.id),
    ]
    every_indicator = indicator_id is None
    if every_indicator:
        assert not q.realtime, "real-time periods are read one indicator at a time"
        cols.append(col(Observation.indicator_id))
    if q.realtime:
        # The vintage that replaced each value, among every vintage recorded (those after as_of
        # too): ALFRED's real-time period of a value runs until the next one was published.
        replaced = (
            func.lead(col(Observation.vintage), type_=Date)
            .over(
                partition_by=(col(Observation.period_start), col(Observation.period_end)),
                order_by=(col(Observation.vintage), col(Observation.id)),
            )
            .label("replaced_on")
        )
        every = sa_select(*cols, replaced).where(*conds).subquery()
        cols, conds = list(every.c), []
        if q.as_of is not None:
            conds.append(every.c.vintage <= q.as_of)
    elif q.as_of is not None:
        conds.append(col(Observation.vintage) <= q.as_of)
    period_start, period_end, _, vintage, obs_id = cols[:5]
    if q.all_vintages:
        src: Any = sa_select(*cols).where(*conds).subquery()
        stmt = sa_select(src)
    else:
        # The value known on as_of: per period, the latest vintage not after it (or the first).
        pick = (vintage, obs_id) if q.first_release else (vintage.desc(), obs_id.desc())
        periods = (period_start, period_end, *(cols[5:6] if every_indicator else ()))
        newest = func.row_number().over(partition_by=periods, order_by=pick).label("newest")
        src = sa_select(*cols, newest).where(*conds).subquery()
        stmt = sa_select(*(c for c in src.c if c.name != "newest")).where(src.c.newest == 1)
    order = (src.c.period_end, src.c.period_start, src.c.vintage, src.c.id)
    if after is not None:
        stmt = stmt.where(tuple_(*order) > tuple_(*after))
    stmt = stmt.order_by(*(c.desc() for c in order)) if newest_first else stmt.order_by(*order)
    return stmt.limit(limit) if limit is not None else stmt


def series_page(
    session: Session, indicator_id: int, q: SeriesQuery, *, limit: int, cursor: str | None
) -> tuple[list[Any], str | None]:
    """Rows (period_start, period_end, value, vintage, id[, replaced_on]) after the cursor;
    the next cursor, if any. `shapes.py` renders them."""
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
    return list(rows[:limit]), nxt


def iter_series_csv(session: Session, indicator_id: int, q: SeriesQuery) -> Iterator[Any]:
    """Every row, streamed: rows are fetched in chunks, never all held in memory."""
    get(session, indicator_id)
    return _rows(session, indicator_id, q)


def _rows(session: Session, indicator_id: int, q: SeriesQuery) -> Iterator[Any]:
    yield from session.execute(
        _series_stmt(indicator_id, q, None, None), execution_options={"yield_per": 2000}
    )


def all_rows(session: Session, indicator_id: int, q: SeriesQuery, *, most: int) -> list[Any]:
    """Every row of a series (as `series_page`), refused past `most` rows."""
    rows = session.execute(_series_stmt(indicator_id, q, None, most + 1)).all()
    if len(rows) > most:
        raise InvalidInput(f"more than {most} points: narrow from/to or roll up", field="from")
    return list(rows)


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
    how: Aggregate | None,
    change: Transform,
    partial: Partial = Partial.MARK,
) -> list[list[str | bool | None]]:
    """A rolled-up and/or transformed series: [period_end, value] points, with `complete`
    when rolled up. Computed on the series from a year before `from` (the comparisons of its
    first points), then cut to `from`/`to`; so its input is capped."""
    if q.all_vintages:
        raise InvalidInput("vintages=all cannot be rolled up or transformed", field="vintages")
    assert indicator.id is not None
    native = cadence(str(indicator.frequency))
    if change is Transform.PC1 and rollup is None and native is None:
        raise InvalidInput("pc1 needs a regular frequency: pass frequency=", field="transform")
    window = SeriesQuery(
        start=_history_from(q.start, rollup, native),
        as_of=q.as_of,
        started_by=q.end,
        first_release=q.first_release,
    )
    rows = session.execute(_series_stmt(indicator.id, window, None, MAX_DERIVED_INPUT + 1)).all()
    if len(rows) > MAX_DERIVED_INPUT:
        raise InvalidInput(
            f"more than {MAX_DERIVED_INPUT} points to derive from: narrow from/to", field="from"
        )
    observed = [Observed(r.period_start, r.period_end, r.value) for r in rows]
    if rollup is not None:
        optional = native is not None and native.weekends_optional
        combine = how if how is not None else aggregation.ROLL_UP[str(indicator.aggregation)]
        points = roll_up(observed, rollup, combine, weekends_optional=optional)
        lags: Lags | None = bucket_lags(rollup)
    else:
        points = [Point(o.end, o.value) for o in observed]
        lags = native_lags(native) if native is not None else None
    points = [
        p
        for p in transform(points, change, lags)
        if (q.start is None or p.end >= q.start)
        and (q.end is None or p.end <= q.end)
        and (p.complete or partial is Partial.MARK)
    ]
    if len(points) > MAX_JSON_POINTS:
        raise InvalidInput(
            f"more than {MAX_JSON_POINTS} points: roll up further or narrow from/to",
            field="frequency",
        )
    if rollup is None:
        return [[p.end.isoformat(), decimal_text(p.value)] for p in points]
    return [[p.end.isoformat(), decimal_text(p.value), p.complete] for p in points]


def _history_from(start: date | None, rollup: Rollup | None, native: Cadence | None) -> date | None:
    """The first period end a derived series starting at `start` reads: its first bucket's (or
    period's) year-earlier one, a weekend before that. An irregular series compares with the
    previous observation, however old: it is read whole."""
    if start is None:
        return None
    if rollup is not None:
        buckets = CADENCES[Frequency(rollup)]
        year_before = buckets.year_before(buckets.bucket_end(start))
        first = None if year_before is None else buckets.bucket_start(year_before)
    elif native is not None:
        first = native.year_before(start)
    else:
        return None
    if first is None or first.toordinal() <= 3:
        return None
    return first - timedelta(days=3)


def recent_points_of_all(session: Session, n: int) -> dict[int, list[tuple[date, Any]]]:
    """`recent_points` of every indicator in one statement, by indicator id (those with none
    left out): each one's newest `n` points as known today, oldest first."""
    src = _series_stmt(None, SeriesQuery(), None, None).subquery()
    order = (src.c.period_end, src.c.period_start, src.c.vintage, src.c.id)
    rank = (
        func.row_number()
        .over(partition_by=src.c.indicator_id, order_by=[c.desc() for c in order])
        .label("rank")
    )
    ranked = sa_select(src.c.indicator_id, src.c.period_end, src.c.value, rank).subquery()
    stmt = (
        sa_select(ranked.c.indicator_id, ranked.c.period_end, ranked.c.value)
        .where(ranked.c.rank <= n)
        .order_by(ranked.c.indicator_id, ranked.c.rank.desc())
    )
    found: dict[int, list[tuple[date, Any]]] = {}
    for indicator_id, end, value in session.execute(stmt):
        found.setdefault(indicator_id, []).append((end, value))
    return found


def recent_points(session: Session, indicator_id: int, n: int) -> list[tuple[date, Any]]:
    """The newest `n` points as known today, oldest first."""
    rows = session.execute(
        _series_stmt(indicator_id, SeriesQuery(), None, n, newest_first=True)
    ).all()
    return [(r.period_end, r.value) for r in reversed(rows)]
