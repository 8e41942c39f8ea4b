"""The outlier rule: a value 100 times larger or smaller than the series' recent median is most
likely a typo ("$1" on a "$100 billion" series), refused unless the writer confirms it.

The median is of the series' last 12 values by period (per period its newest live vintage),
as the series would stand with the new values; it needs at least 3 values, and a zero median
decides nothing (no factor of it tells a typo). Signs are ignored: magnitudes are compared.
It guards levels and amounts (stocks and flows) only: a zero is a value, never a slip of scale
(no press releases this week), and a rate (a growth, an inflation) crosses zero on its own,
so 0.01 % after months of 2 % is news, not a typo."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from statistics import median
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.core.errors import FieldProblem
from app.core.types import decimal_text
from app.indicators.errors import ObservationOutlier
from app.indicators.models import Observation, ObservationStatus

FACTOR = Decimal(100)
WINDOW = 12
MIN_VALUES = 3

# (period_start, period_end, vintage, value)
Value = tuple[date, date, date, Decimal]


def window(values: Iterable[Value]) -> list[Value]:
    """The newest `WINDOW` periods, each at its newest vintage."""
    newest: dict[tuple[date, date], Value] = {}
    for v in values:
        known = newest.get((v[0], v[1]))
        if known is None or v[2] >= known[2]:
            newest[(v[0], v[1])] = v
    return sorted(newest.values(), key=lambda v: (v[1], v[0]), reverse=True)[:WINDOW]


def recent_median(values: Iterable[Value]) -> Decimal | None:
    """The median magnitude of the window; None under `MIN_VALUES` values."""
    sizes = [abs(v[3]) for v in window(values)]
    return Decimal(median(sizes)) if len(sizes) >= MIN_VALUES else None


def is_outlier(value: Decimal, middle: Decimal | None) -> bool:
    """More than `FACTOR` times larger or smaller than the median (in magnitude)."""
    if middle is None or middle == 0 or value == 0:
        return False
    size = abs(value)
    return size > middle * FACTOR or size * FACTOR < middle


def stored_values(
    session: Session, indicator_id: int, *, leave_out: int | None = None
) -> list[Value]:
    """The live series' newest `WINDOW` + 1 periods, newest vintage each (`leave_out`: an
    observation being corrected, whose new value the caller adds)."""
    conds = [
        col(Observation.indicator_id) == indicator_id,
        col(Observation.status) == ObservationStatus.LIVE,
    ]
    if leave_out is not None:
        conds.append(col(Observation.id) != leave_out)
    newest = (
        func.row_number()
        .over(
            partition_by=(col(Observation.period_start), col(Observation.period_end)),
            order_by=(col(Observation.vintage).desc(), col(Observation.id).desc()),
        )
        .label("newest")
    )
    src = (
        sa_select(
            col(Observation.period_start),
            col(Observation.period_end),
            col(Observation.vintage),
            col(Observation.value),
            newest,
        )
        .where(*conds)
        .subquery()
    )
    stmt = (
        sa_select(src.c.period_start, src.c.period_end, src.c.vintage, src.c.value)
        .where(src.c.newest == 1)
        .order_by(src.c.period_end.desc(), src.c.period_start.desc())
        .limit(WINDOW + 1)  # one more: it stands in for a batch value left out of its window
    )
    return [(r[0], r[1], r[2], r[3]) for r in session.execute(stmt).all()]


def refuse_outliers(
    session: Session,
    indicator_id: int,
    rows: Sequence[dict[str, Any]],
    *,
    aggregation: str,
    correcting: int | None = None,
) -> None:
    """422 `observation_outlier` on the first row whose value is 100 times off the median of
    the series as it would stand with the other `rows` but without it: a batch's error names
    the row (`[2].value`), a correction's (`correcting`: the observation's id, its old value
    left out) names `value`. A rate's series is never refused (see above)."""
    if aggregation == "rate":
        return
    new: list[Value] = [
        (r["period_start"], r["period_end"], r["vintage"], r["value"]) for r in rows
    ]
    known = [*stored_values(session, indicator_id, leave_out=correcting), *new]
    # Each value is weighed against the series as it would stand without it: the stored
    # values and the batch's others (a first import is checked too). Only a value in the
    # window moves the median, so the others share one.
    shared = recent_median(known)
    inside = {v[:3] for v in window(known)}
    offset = len(known) - len(new)
    for number, (r, value) in enumerate(zip(rows, new, strict=True), start=1):
        at = offset + number - 1
        middle = recent_median(known[:at] + known[at + 1 :]) if value[:3] in inside else shared
        if middle is None or not is_outlier(r["value"], middle):
            continue
        side = "larger" if abs(r["value"]) > middle else "smaller"
        why = (
            f"value {decimal_text(r['value'])} is more than {FACTOR} times {side} than "
            f"the median {decimal_text(middle)} of the series' last {WINDOW} values; "
            "send confirm=true if it is right"
        )
        if correcting is not None:
            raise ObservationOutlier(why, field="value")
        field = f"[{number}].value"
        raise ObservationOutlier(
            f"row {number}: {why}; nothing was stored",
            field=field,
            errors=[FieldProblem(row=number, field=field, problem=why)],
        )
