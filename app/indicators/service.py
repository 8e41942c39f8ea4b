"""Indicators: create and edit them, set targets, take observations in, and read series."""

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import orjson
from sqlalchemy import bindparam, func, insert, tuple_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.claims.models import Claim
from app.core.db import fetch, lock_keys
from app.core.errors import InvalidInput
from app.core.models import as_utc, utcnow
from app.core.pagination import decode_cursor, encode_cursor
from app.core.rows import row_failed, validate_rows
from app.core.types import decimal_text
from app.core.versioning import bump_version
from app.entities import service as entities
from app.entities.models import Entity, Metric, Ref
from app.indicators import datacheck
from app.indicators.errors import IndicatorNotFound, ObservationExists
from app.indicators.models import (
    Indicator,
    IndicatorCreate,
    IndicatorPublic,
    IndicatorUpdate,
    Observation,
    ObservationIn,
    ObservationPublic,
    Target,
    TargetCreate,
    TargetProgress,
    TargetPublic,
    WatchItem,
)
from app.indicators.progress import TREND_POINTS, progress
from app.indicators.transforms import (
    PER_YEAR,
    Aggregate,
    Point,
    Rollup,
    Transform,
    roll_up,
    transform,
)
from app.quantities import (
    Interval,
    QuantityError,
    canonical_unit,
    convert,
    parse_period,
    parse_quantity,
)
from app.quantities import parse_value as parse_number
from app.review import flags
from app.review.models import Flag, FlagKind, FlagStatus
from app.sources import service as sources
from app.sources.models import Source

MAX_JSON_POINTS = 10_000
MAX_OBSERVATIONS_PER_POST = 10_000


def get(session: Session, indicator_id: int) -> Indicator:
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        raise IndicatorNotFound(f"no indicator {indicator_id}")
    return indicator


def find(session: Session, slug: str) -> Indicator | None:
    return session.execute(select(Indicator).where(Indicator.slug == slug)).scalar_one_or_none()


def to_public_many(session: Session, rows: Sequence[Indicator]) -> list[IndicatorPublic]:
    ids = [r.id for r in rows if r.id is not None]
    refs = {
        ("e", e.id): Ref(id=e.id, slug=e.slug, name=e.name)
        for e in session.execute(
            select(Entity).where(col(Entity.id).in_({r.entity_id for r in rows}))
        ).scalars()
        if e.id is not None
    } | {
        ("m", m.id): Ref(id=m.id, slug=m.slug, name=m.name)
        for m in session.execute(
            select(Metric).where(col(Metric.id).in_({r.metric_id for r in rows}))
        ).scalars()
        if m.id is not None
    }
    targets: dict[int, list[TargetPublic]] = {i: [] for i in ids}
    for t in session.execute(
        select(Target).where(col(Target.indicator_id).in_(ids)).order_by(col(Target.due_on))
    ).scalars():
        assert t.id is not None
        targets[t.indicator_id].append(
            TargetPublic(
                id=t.id,
                value_text=t.value_text,
                value=decimal_text(t.value) or "0",
                bound=t.bound,
                low=decimal_text(t.low),
                high=decimal_text(t.high),
                due_on=t.due_on,
                claim_id=t.claim_id,
            )
        )
    return [
        IndicatorPublic(
            id=r.id,
            slug=r.slug,
            name=r.name,
            question=r.question,
            entity=refs[("e", r.entity_id)],
            metric=refs[("m", r.metric_id)],
            unit=r.unit,
            frequency=r.frequency,
            direction=r.direction,
            description=r.description,
            tags=list(r.tags),
            targets=targets[r.id],
            version=r.version,
            created_at=as_utc(r.created_at) or r.created_at,
            updated_at=as_utc(r.updated_at) or r.updated_at,
        )
        for r in rows
        if r.id is not None
    ]


def _event(
    session: Session, row: Indicator, action: str, actor_id: int | None, **extra: Any
) -> None:
    assert row.id is not None
    audit.record(
        session,
        actor_id=actor_id,
        action=f"indicator.{action}",
        record_type="indicator",
        record_id=row.id,
        version=row.version,
        after={"slug": row.slug, "name": row.name, **extra},
    )


def create(session: Session, data: IndicatorCreate, *, actor_id: int | None) -> Indicator:
    """A new indicator; its unit fixes the dimension its metric and observations must have."""
    try:
        unit, dimension = canonical_unit(data.unit)
    except QuantityError as exc:
        raise InvalidInput(exc.message, field="unit") from exc
    entity, _ = entities.resolve_entity(session, data.entity)
    metric, _ = entities.resolve_metric(session, data.metric, unit=unit)
    if metric.dimension != dimension:
        raise InvalidInput(
            f"metric '{metric.slug}' measures {metric.dimension}, not {dimension}", field="unit"
        )
    slug = data.slug or entities.slugify(data.name)
    lock_keys(session, [f"indicator:{slug}"])
    if session.execute(select(Indicator.id).where(Indicator.slug == slug)).first() is not None:
        raise InvalidInput(f"an indicator '{slug}' exists", field="slug")
    assert entity.id is not None and metric.id is not None
    row = Indicator(
        slug=slug,
        name=data.name,
        question=data.question or "",
        entity_id=entity.id,
        metric_id=metric.id,
        unit=unit,
        dimension=dimension,
        frequency=data.frequency,
        direction=data.direction,
        description=data.description or "",
        tags=list(data.tags or []),
        created_by_id=actor_id,
    )
    session.add(row)
    session.flush()
    _event(session, row, "created", actor_id)
    return row


def update(
    session: Session,
    indicator_id: int,
    data: IndicatorUpdate,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Indicator:
    row = get(session, indicator_id)
    sent = data.model_dump(exclude_unset=True)
    if not sent:
        return row
    for name in ("name", "frequency", "direction"):
        if name in sent and sent[name] is None:
            raise InvalidInput(f"{name} cannot be null", field=name)
    bump_version(session, Indicator, indicator_id, expected_version, "indicator")
    session.refresh(row)
    for name, value in sent.items():
        setattr(row, name, value if value is not None else ("" if name != "tags" else []))
    session.flush()
    _event(session, row, "updated", actor_id, changed=sorted(sent))
    return row


def get_all(
    session: Session, *, limit: int, cursor: str | None
) -> tuple[list[Indicator], str | None]:
    stmt = select(Indicator).order_by(col(Indicator.slug)).limit(limit + 1)
    if cursor is not None:
        (after,) = decode_cursor(cursor, (str,))
        stmt = stmt.where(col(Indicator.slug) > after)
    rows = list(session.execute(stmt).scalars())
    nxt = encode_cursor([rows[limit - 1].slug]) if len(rows) > limit else None
    return rows[:limit], nxt


def add_target(
    session: Session, indicator_id: int, data: TargetCreate, *, actor_id: int | None
) -> Target:
    """A target read from text ("more than $100 billion"), in the indicator's unit."""
    indicator = get(session, indicator_id)
    try:
        q = parse_quantity(data.value_text, default_unit=indicator.unit)
    except QuantityError as exc:
        raise InvalidInput(exc.message, field="value_text") from exc
    if q.dimension != indicator.dimension:
        raise InvalidInput(
            f"a {q.dimension} cannot be a target of this indicator", field="value_text"
        )
    if q.unit != indicator.unit:
        raise InvalidInput(f"give the target in {indicator.unit}", field="value_text")
    if data.claim_id is not None and session.get(Claim, data.claim_id) is None:
        raise InvalidInput(f"no claim {data.claim_id}", field="claim_id")
    target = Target(
        indicator_id=indicator_id,
        value_text=data.value_text,
        value=q.value,
        bound=q.bound,
        low=q.interval.low,
        high=q.interval.high,
        low_open=q.interval.low_open,
        high_open=q.interval.high_open,
        due_on=data.due_on,
        claim_id=data.claim_id,
    )
    session.add(target)
    session.flush()
    _event(session, indicator, "target_added", actor_id, target=data.model_dump(mode="json"))
    return target


# --- observations -----------------------------------------------------------------------------


def _value(indicator: Indicator, item: ObservationIn) -> Any:
    """The observed value in the indicator's unit, read from text or number + unit."""
    try:
        if item.value is not None:
            q = parse_number(item.value, item.unit or indicator.unit)
        elif item.value_text is not None:
            q = parse_quantity(item.value_text, default_unit=indicator.unit)
        else:
            raise InvalidInput("give value_text, or value (+ unit)", field="value")
        if q.dimension != indicator.dimension:
            raise InvalidInput(
                f"a {q.dimension} cannot be an observation of an indicator in {indicator.unit}",
                field="value_text" if item.value is None else "unit",
            )
        return q.value if q.unit == indicator.unit else convert(q.value, q.unit, indicator.unit)
    except QuantityError as exc:
        raise InvalidInput(
            exc.message, field="value_text" if item.value is None else "value"
        ) from exc


def _source(session: Session, item: ObservationIn, actor_id: int | None) -> Source | None:
    cite = item.citation
    if cite is None:
        return None
    if cite.source_id is not None:
        source = session.get(Source, cite.source_id)
        if source is None:
            raise InvalidInput(f"no source {cite.source_id}", field="citation.source_id")
        return source
    if cite.url is None:
        raise InvalidInput("give source_id or url", field="citation")
    source, _ = sources.find_or_create(
        session,
        url=cite.url,
        title=cite.title,
        publisher=None,
        kind=None,
        published_on=None,
        actor_id=actor_id,
        field="citation",
    )
    return source


def _row(
    session: Session, indicator: Indicator, item: ObservationIn, actor_id: int | None
) -> dict[str, Any]:
    source = _source(session, item, actor_id)
    vintage = item.vintage or (source.published_on if source else None) or utcnow().date()
    try:
        period = parse_period(item.period, reference=vintage)
    except QuantityError as exc:
        raise InvalidInput(exc.message, field="period") from exc
    if period is None or period.start is None or period.end is None:
        raise InvalidInput("an observation needs a period with a start and an end", field="period")
    return {
        "indicator_id": indicator.id,
        "period_text": item.period,
        "period_start": period.start,
        "period_end": period.end,
        "value": _value(indicator, item),
        "vintage": vintage,
        "source_id": source.id if source else None,
        "quote": item.citation.quote if item.citation else None,
        "created_by_id": actor_id,
    }


def parse_observations(body: bytes, content_type: str) -> list[ObservationIn]:
    """One object, a JSON array, or CSV with a header row; every bad row named, nothing kept."""
    if content_type.split(";")[0].strip().lower() == "text/csv":
        try:
            reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline=""))
            raw: list[Any] = [
                {
                    k: v
                    for k, v in {
                        "period": r.get("period"),
                        "value_text": r.get("value_text") or None,
                        "value": r.get("value") or None,
                        "unit": r.get("unit") or None,
                        "vintage": r.get("vintage") or None,
                        "citation": (
                            {
                                "url": r["source_url"],
                                "title": r.get("source_title") or None,
                                "quote": r.get("quote") or None,
                            }
                            if r.get("source_url")
                            else None
                        ),
                    }.items()
                    if v is not None
                }
                for r in reader
            ]
        except (UnicodeDecodeError, csv.Error) as exc:
            raise InvalidInput(f"the CSV cannot be read: {exc}", field="body") from exc
    else:
        try:
            parsed = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise InvalidInput(f"the body is not valid JSON: {exc}", field="body") from exc
        raw = parsed if isinstance(parsed, list) else [parsed]
    return validate_rows(ObservationIn, raw, max_rows=MAX_OBSERVATIONS_PER_POST)


def add_observations(
    session: Session, indicator_id: int, items: Sequence[ObservationIn], *, actor_id: int | None
) -> list[ObservationPublic]:
    """Store observations, all or nothing; a value for a period seen before is a new vintage."""
    indicator = get(session, indicator_id)
    rows: list[dict[str, Any]] = []
    for number, item in enumerate(items, start=1):
        try:
            rows.append(_row(session, indicator, item, actor_id))
        except InvalidInput as exc:
            raise row_failed(number, exc) from exc
    keys = [(r["period_start"], r["period_end"], r["vintage"]) for r in rows]
    if len(set(keys)) != len(keys):
        raise ObservationExists("the batch gives one period two values of the same vintage")
    existing = session.execute(
        sa_select(
            col(Observation.period_start), col(Observation.period_end), col(Observation.vintage)
        )
        .where(col(Observation.indicator_id) == indicator_id)
        .where(col(Observation.vintage).in_({k[2] for k in keys}))
    ).all()
    clash = set(keys) & {tuple(e) for e in existing}
    if clash:
        start, end, vintage = sorted(clash)[0]
        raise ObservationExists(f"{start}..{end} already has a value of vintage {vintage}")
    first_id = (
        session.execute(insert(Observation).returning(col(Observation.id)), rows).scalars().all()
    )
    _event(session, indicator, "observed", actor_id, observations=len(rows))
    # New vintages may confirm or contradict claims about the same periods.
    datacheck.reconcile(session, datacheck.claims_meeting(session, indicator_id), actor_id=actor_id)
    check_flags(session, indicator, utcnow().date(), actor_id=actor_id)
    return [
        ObservationPublic(
            id=i,
            period=r["period_text"],
            period_start=r["period_start"],
            period_end=r["period_end"],
            value=decimal_text(r["value"]) or "0",
            vintage=r["vintage"],
            source_id=r["source_id"],
            quote=r["quote"],
        )
        for i, r in zip(first_id, rows, strict=True)
    ]


# --- series -----------------------------------------------------------------------------------


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
    conds = [col(Observation.indicator_id) == indicator_id]
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
).where(col(Indicator.id) == bindparam("id"))


def series_etag(session: Session, indicator_id: int, query_string: str) -> str:
    """Changes whenever an observation arrives, the indicator is edited or the query changes.

    Observations are append-only (a revision is a new vintage), so their count and newest id
    tell every change; the series cache relies on it."""
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
    frequency = rollup.value if rollup is not None else str(indicator.frequency)
    if change is Transform.PC1 and frequency not in PER_YEAR:
        raise InvalidInput("pc1 needs a regular frequency: pass frequency=", field="transform")
    points = transform(points, change, PER_YEAR.get(frequency, 1))
    if len(points) > MAX_JSON_POINTS:
        raise InvalidInput(
            f"more than {MAX_JSON_POINTS} points: roll up further or narrow from/to",
            field="frequency",
        )
    return [[day.isoformat(), decimal_text(value) or "0"] for day, value in points]


# --- progress and the watchlist ---------------------------------------------------------------

ATTENTION = {"missed": 0, "at_risk": 1, "not_started": 2, "on_track": 3, "met": 4, "none": 5}


def recent_points(session: Session, indicator_id: int, n: int) -> list[tuple[date, Any]]:
    """The newest `n` points as known today, oldest first."""
    rows = session.execute(
        _series_stmt(indicator_id, SeriesQuery(), None, n, newest_first=True)
    ).all()
    return [(r.period_end, r.value) for r in reversed(rows)]


def progress_of(session: Session, indicator: Indicator, today: date) -> list[TargetProgress]:
    """Each target of the indicator against its series (see app/indicators/progress.py)."""
    assert indicator.id is not None
    points = recent_points(session, indicator.id, TREND_POINTS)
    targets = session.execute(
        select(Target).where(col(Target.indicator_id) == indicator.id).order_by(col(Target.due_on))
    ).scalars()
    out = []
    for t in targets:
        assert t.id is not None
        p = progress(
            points,
            target=Interval(t.low, t.high, t.low_open, t.high_open),
            value=t.value,
            due_on=t.due_on,
            direction=str(indicator.direction),
            today=today,
        )
        out.append(
            TargetProgress(
                target_id=t.id,
                value_text=t.value_text,
                due_on=t.due_on,
                status=p.status,
                goal=decimal_text(p.goal) or "0",
                latest=decimal_text(p.latest),
                latest_on=p.latest_on,
                percent_of_target=decimal_text(p.percent_of_target),
                required_per_day=decimal_text(p.required_per_day),
                projected=decimal_text(p.projected),
            )
        )
    return out


def watchlist(session: Session, today: date) -> list[WatchItem]:
    """Every indicator, what needs attention first: missed, at risk, not started, on track, met."""
    items = []
    for indicator in session.execute(select(Indicator).order_by(col(Indicator.slug))).scalars():
        assert indicator.id is not None
        last_two = recent_points(session, indicator.id, 2)
        targets = progress_of(session, indicator, today)
        worst = min((t.status for t in targets), key=ATTENTION.__getitem__, default="none")
        items.append(
            WatchItem(
                id=indicator.id,
                slug=indicator.slug,
                name=indicator.name,
                question=indicator.question,
                unit=indicator.unit,
                last_value=decimal_text(last_two[-1][1]) if last_two else None,
                last_on=last_two[-1][0] if last_two else None,
                change=decimal_text(last_two[-1][1] - last_two[0][1])
                if len(last_two) == 2
                else None,
                status=worst,
                targets=targets,
            )
        )
    return sorted(items, key=lambda i: (ATTENTION[i.status], i.slug))


# --- target_missed and stale flags -----------------------------------------------------------

PERIOD_DAYS = {"daily": 1, "weekly": 7, "monthly": 31, "quarterly": 92, "annual": 366}


def _set_flag(
    session: Session,
    indicator: Indicator,
    kind: FlagKind,
    group_key: str,
    wanted: bool,
    why: str,
    actor_id: int | None,
) -> None:
    """Open the flag when `wanted`, close it when not; an event each time it moves."""
    flag = session.execute(
        select(Flag).where(
            col(Flag.group_key) == group_key,
            col(Flag.kind) == kind,
            col(Flag.status) == FlagStatus.OPEN,
        )
    ).scalar_one_or_none()
    if wanted and flag is None:
        flags.open_flag(
            session,
            kind=kind,
            group_key=group_key,
            entity_id=indicator.entity_id,
            metric_id=indicator.metric_id,
            summary=why,
            claim_ids=[],
            actor_id=actor_id,
        )
    elif not wanted and flag is not None:
        flags.clear(session, flag, why, actor_id)


def check_flags(
    session: Session, indicator: Indicator, today: date, *, actor_id: int | None
) -> None:
    """target_missed for each target past due and unmet; stale when the next value is late
    by more than one period (by the indicator's frequency). Both close when data arrive."""
    assert indicator.id is not None
    for t in progress_of(session, indicator, today):
        _set_flag(
            session,
            indicator,
            FlagKind.TARGET_MISSED,
            f"target:{t.target_id}",
            t.status == "missed",
            f"{indicator.slug}: target {t.value_text} due {t.due_on} is {t.status}",
            actor_id,
        )
    days = PERIOD_DAYS.get(str(indicator.frequency))
    if days is None:
        return
    last = recent_points(session, indicator.id, 1)
    late = bool(last) and (today - last[-1][0]).days > 2 * days
    latest = last[-1][0].isoformat() if last else "never"
    _set_flag(
        session,
        indicator,
        FlagKind.STALE,
        f"stale:{indicator.id}",
        late,
        f"{indicator.slug}: last value for the period ending {latest}",
        actor_id,
    )


def check_all(session: Session, today: date, *, actor_id: int | None) -> int:
    """Run the flag checks for every indicator (from `claimtrack check` or the API)."""
    rows = list(session.execute(select(Indicator).order_by(col(Indicator.id))).scalars())
    for row in rows:
        check_flags(session, row, today, actor_id=actor_id)
    session.flush()
    return len(rows)
