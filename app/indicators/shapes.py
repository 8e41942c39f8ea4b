"""What a series looks like on the wire: records (the default), the compact pairs, CSV rows.

A record names its fields, so pandas and Observable Plot read it as it is: `date` (the end of
the period, the day a point is drawn at), `period_start`, `period_end`, `value` as a JSON
number and `value_exact`, the stored decimal as text (a double cannot hold every decimal).
"""

import datetime as dt
import math
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import orjson
from pydantic import BaseModel, Field, RootModel

from app.core.errors import InvalidInput
from app.core.params import DecimalString
from app.core.types import decimal_text
from app.indicators.series import SeriesQuery

# ALFRED's real-time end of a value that is still the current one.
STILL_CURRENT = date(9999, 12, 31)


def number(value: Decimal) -> float | None:
    """The value as a JSON number: the nearest double (None past a double's range)."""
    near = float(value)
    return near if math.isfinite(near) else None


def record(row: Any, q: SeriesQuery) -> dict[str, Any]:
    """One stored point (a row of `series.series_page`) as a record."""
    out: dict[str, Any] = {
        "date": row.period_end,
        "period_start": row.period_start,
        "period_end": row.period_end,
        "value": number(row.value),
        "value_exact": decimal_text(row.value),
    }
    if q.all_vintages:
        out["vintage"] = row.vintage
    if q.realtime:
        out["realtime_start"] = row.vintage
        out["realtime_end"] = realtime_end(row)
    return out


def realtime_end(row: Any) -> date:
    """The last day a value was the current one: the eve of the vintage that replaced it."""
    replaced: date | None = row.replaced_on
    return STILL_CURRENT if replaced is None else replaced - timedelta(days=1)


def derived_record(point: list[str | bool | None]) -> dict[str, Any]:
    """A rolled-up or transformed point ([period end, exact value(, complete)]) as a record:
    `value` null where a change has no comparison; `complete` when rolled up."""
    day, exact, *complete = point
    record: dict[str, Any] = {
        "date": day,
        "period_end": day,
        "value": number(Decimal(str(exact))) if exact is not None else None,
        "value_exact": exact,
    }
    if complete:
        record["complete"] = complete[0]
    return record


def pair(row: Any, q: SeriesQuery) -> list[str]:
    """The compact point of `shape=pairs`: [period_end, exact value(, vintage)], all text."""
    point = [row.period_end.isoformat(), decimal_text(row.value) or "0"]
    if q.all_vintages:
        point.append(row.vintage.isoformat())
    return point


def csv_header(q: SeriesQuery) -> list[str]:
    header = ["date", "period_start", "period_end", "value"]
    if q.all_vintages:
        header.append("vintage")
    if q.realtime:
        header += ["realtime_start", "realtime_end"]
    return header


def csv_rows(rows: Iterable[Any], q: SeriesQuery) -> Iterator[list[str]]:
    """CSV cells of stored points, in `csv_header`'s order; the value is the exact decimal."""
    for row in rows:
        end = row.period_end.isoformat()
        cells = [end, row.period_start.isoformat(), end, decimal_text(row.value) or "0"]
        if q.all_vintages:
            cells.append(row.vintage.isoformat())
        if q.realtime:
            cells += [row.vintage.isoformat(), realtime_end(row).isoformat()]
        yield cells


def check_derivable(q: SeriesQuery) -> None:
    """A rolled-up or transformed point is computed: it has no vintage of its own."""
    if q.all_vintages:
        raise InvalidInput("vintages=all cannot be rolled up or transformed", field="vintages")
    if q.realtime:
        raise InvalidInput("realtime points cannot be rolled up or transformed", field="realtime")


def dumps(value: Any) -> bytes:
    """JSON through orjson: dates as ISO text, no float formatting of our own."""
    return orjson.dumps(value)


class SeriesPoint(BaseModel):
    """One point of a series as a record (fields beyond these come only when asked for)."""

    indicator: str | None = Field(None, description="the series' slug (several series only)")
    date: dt.date = Field(description="the end of the period: where the point is drawn")
    period_start: dt.date | None = Field(None, description="absent on derived points")
    period_end: dt.date
    value: float | None = Field(
        description="the value as a number (a double: may round); null: a change with nothing "
        "to compare with"
    )
    value_exact: DecimalString | None = Field(
        description="the value as stored, an exact decimal; null as `value`"
    )
    complete: bool | None = Field(
        None, description="rolled up: whether the observations cover the whole bucket"
    )
    vintage: dt.date | None = Field(None, description="with vintages=all: when it was published")
    realtime_start: dt.date | None = Field(None, description="with realtime=true")
    realtime_end: dt.date | None = Field(None, description="9999-12-31 while still current")


class SeriesEnvelope(BaseModel):
    """`envelope=true`: the records with what they measure."""

    indicator: str
    indicator_id: int
    unit: str
    frequency: str
    aggregate: str | None
    transform: str
    as_of: dt.date | None
    vintages: str
    data: list[SeriesPoint]
    next: str | None


class SeriesPairs(BaseModel):
    """`shape=pairs`: points are [period_end, value] (or [period_end, value, vintage]), text."""

    indicator: str
    unit: str
    as_of: dt.date | None
    vintages: bool
    points: list[list[str | bool | None]] = Field(
        description="[period_end, value(, vintage)]; rolled up [period_end, value, complete]"
    )
    next: str | None


SeriesAnswer = RootModel[list[SeriesPoint] | SeriesEnvelope | SeriesPairs]


class VintageDate(BaseModel):
    """A day values of the series were published, and how many."""

    vintage: dt.date
    observations: int
