"""Several series in one answer, for pandas: long records (one per series and date, each naming
its series) or a wide table (a column per series, a row per date)."""

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.core.errors import InvalidInput
from app.indicators import series, service, shapes
from app.indicators.errors import IndicatorNotFound
from app.indicators.models import Indicator
from app.indicators.transforms import Aggregate, Rollup, Transform

MAX_SERIES = 20
MAX_POINTS = 100_000  # in all, over every series of the call


@dataclass(frozen=True)
class Derivation:
    rollup: Rollup | None = None
    how: Aggregate | None = None  # None: by the indicator's aggregation
    change: Transform = Transform.NONE

    @property
    def derived(self) -> bool:
        return self.rollup is not None or self.change is not Transform.NONE


def resolve(session: Session, ids: list[int], slugs: list[str], *, field: str) -> list[Indicator]:
    """The indicators named by id or by slug, in the order given; each once."""
    if not 1 <= len(ids or slugs) <= MAX_SERIES:
        raise InvalidInput(f"name 1 to {MAX_SERIES} series", field=field)
    if len(set(ids or slugs)) != len(ids or slugs):
        raise InvalidInput("a series is named twice", field=field)
    if ids:
        return [service.get(session, i) for i in ids]
    found = []
    for slug in slugs:
        indicator = service.find(session, slug)
        if indicator is None:
            raise IndicatorNotFound(f"no indicator '{slug}'")
        found.append(indicator)
    return found


def panel_etag(session: Session, indicators: list[Indicator], query_string: str) -> str:
    """Changes whenever any of the series (or the query) does."""
    tags = [series.series_etag(session, i.id or 0, "") for i in indicators]
    digest = hashlib.sha256(f"{tags}:{query_string}".encode()).hexdigest()
    return f'"series-many-{digest[:16]}"'


def long_records(
    session: Session, indicators: list[Indicator], q: series.SeriesQuery, how: Derivation
) -> list[dict[str, Any]]:
    """Every point of every series, each record naming its series (`indicator`: the slug)."""
    if how.derived:
        shapes.check_derivable(q)
    out: list[dict[str, Any]] = []
    for indicator in indicators:
        assert indicator.id is not None
        if how.derived:
            points = series.derived_series(
                session, indicator, q, rollup=how.rollup, how=how.how, change=how.change
            )
            records = [shapes.derived_record(p) for p in points]
        else:
            rows = series.all_rows(session, indicator.id, q, most=MAX_POINTS - len(out))
            records = [shapes.record(row, q) for row in rows]
        out += [{"indicator": indicator.slug, **rec} for rec in records]
        if len(out) > MAX_POINTS:
            raise InvalidInput(
                f"more than {MAX_POINTS} points in all: narrow from/to or roll up", field="from"
            )
    return out


def wide_table(
    indicators: list[Indicator], q: series.SeriesQuery, records: list[dict[str, Any]]
) -> tuple[list[str], list[list[str]]]:
    """A header (date, then each series' slug) and a row per date; empty where a series has
    no point on that date."""
    if q.all_vintages or q.realtime:
        field = "vintages" if q.all_vintages else "realtime"
        raise InvalidInput("a wide table has one value per series and date", field=field)
    slugs = [i.slug for i in indicators]
    table: dict[str, dict[str, str]] = {}
    for rec in records:
        day = str(rec["date"])
        cells = table.setdefault(day, {})
        if rec["indicator"] in cells:
            raise InvalidInput(
                f"{rec['indicator']} has two values dated {day} (periods of different"
                " lengths): roll up with frequency=, or ask for JSON",
                field="format",
            )
        cells[rec["indicator"]] = rec["value_exact"]
    rows = [[day, *(table[day].get(s, "") for s in slugs)] for day in sorted(table)]
    return ["date", *slugs], rows
