"""Observations: read from JSON or CSV, checked, and stored as vintages (never overwritten).
What new data set off (claims checked against it, target and stale flags) is the use case's:
`flows/observations.py`."""

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import orjson
from sqlalchemy import func, insert, tuple_
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.audit import service as audit
from app.core.errors import InvalidInput
from app.core.models import utcnow
from app.core.pagination import decode_cursor, encode_cursor
from app.core.rows import row_failed, validate_rows
from app.core.types import decimal_text
from app.indicators.errors import ObservationExists
from app.indicators.models import (
    Indicator,
    Observation,
    ObservationIn,
    ObservationPublic,
    ObservationStatus,
)
from app.indicators.outliers import refuse_outliers
from app.indicators.service import event, get
from app.quantities import QuantityError, convert, parse_period, parse_quantity
from app.quantities import parse_value as parse_number
from app.sources import service as sources
from app.sources.models import Source

MAX_OBSERVATIONS_PER_POST = 10_000


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


def to_row(
    session: Session, indicator: Indicator, item: ObservationIn, actor_id: int | None
) -> dict[str, Any]:
    """An observation's columns, read and checked (the value in the indicator's unit)."""
    source = _source(session, item, actor_id)
    vintage = item.vintage or (source.published_on if source else None) or utcnow().date()
    try:
        period = parse_period(item.period, reference=vintage, iso_months=True)
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
    session: Session,
    indicator_id: int,
    items: Sequence[ObservationIn],
    *,
    actor_id: int | None,
    confirm: bool = False,
) -> list[ObservationPublic]:
    """Store observations, all or nothing; a value for a period seen before is a new vintage.
    A value 100 times off the series' recent median is refused unless `confirm` (`outliers`).
    Each is an event (`observation.created`), the batch one more on the indicator."""
    indicator = get(session, indicator_id)
    rows: list[dict[str, Any]] = []
    for number, item in enumerate(items, start=1):
        try:
            rows.append(to_row(session, indicator, item, actor_id))
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
    if not confirm:
        refuse_outliers(session, indicator_id, rows, aggregation=indicator.aggregation)
    now = utcnow()
    for r in rows:
        r.update(status=ObservationStatus.LIVE, version=1, created_at=now, updated_at=now)
    # In the rows' order (each id is matched to its row), in one statement however many rows.
    returning = insert(Observation).returning(col(Observation.id), sort_by_parameter_order=True)
    ids = session.execute(returning, rows).scalars().all()
    stored = [
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
        for i, r in zip(ids, rows, strict=True)
    ]
    event(session, indicator, "observed", actor_id, observations=len(rows))
    for o in stored:
        audit.record(
            session,
            actor_id=actor_id,
            action="observation.created",
            record_type="observation",
            record_id=o.id,
            after={"indicator_id": indicator_id, **o.model_dump(mode="json", exclude={"id"})},
        )
    return stored


def vintage_dates(session: Session, indicator_id: int) -> list[tuple[Any, int]]:
    """Each day values of the series were published (ALFRED's vintage dates), oldest first,
    with how many values came that day."""
    get(session, indicator_id)
    vintage = col(Observation.vintage)
    rows = session.execute(
        sa_select(vintage, func.count())
        .where(col(Observation.indicator_id) == indicator_id)
        .group_by(vintage)
        .order_by(vintage)
    ).all()
    return [(v, n) for v, n in rows]


def get_all(
    session: Session,
    indicator_id: int,
    *,
    limit: int,
    cursor: str | None = None,
    period: tuple[date, date] | None = None,
) -> tuple[list[Observation], str | None]:
    """An indicator's observations, live and withdrawn: the newest period first, each period's
    vintages newest first (a page of `limit`, and the cursor of the next); `period` (its start
    and end) narrows them to that period's vintages."""
    get(session, indicator_id)
    order = (
        col(Observation.period_end),
        col(Observation.period_start),
        col(Observation.vintage),
        col(Observation.id),
    )
    stmt = (
        sa_select(Observation)
        .where(col(Observation.indicator_id) == indicator_id)
        .order_by(*(c.desc() for c in order))
        .limit(limit + 1)
    )
    if period is not None:
        stmt = stmt.where(
            col(Observation.period_start) == period[0], col(Observation.period_end) == period[1]
        )
    if cursor is not None:
        after = decode_cursor(cursor, (date, date, date, int))
        stmt = stmt.where(tuple_(*order) < tuple_(*after))
    rows = list(session.execute(stmt).scalars())
    nxt = None
    if len(rows) > limit:
        last = rows[limit - 1]
        keys = [last.period_end, last.period_start, last.vintage]
        nxt = encode_cursor([*(d.isoformat() for d in keys), last.id])
    return rows[:limit], nxt
