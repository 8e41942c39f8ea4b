"""Claims meet data: a claim is compared with the data known on the day it was made.

The claim's entity and metric must match an indicator, and the indicator must have a value
for its period: an observation of that period, or observations of the indicator's frequency
covering it, added up by the indicator's aggregation (the rule: `aggregation.read_period`).
The data used are the latest vintages published on or before the claim's `asserted_on` (as
ALFRED does). A value outside the claim's interval opens a
`contradicted_by_data` flag; a later vintage that agrees closes it, and the event says so.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.claims.models import Claim, ClaimStatus, StoredClaim
from app.core.inlist import in_list, status_is
from app.core.statements import fetch
from app.indicators import aggregation
from app.indicators.models import Indicator, Observation, ObservationStatus
from app.quantities import FigureType, Interval
from app.review import flags
from app.review.models import Flag, FlagKind, FlagNote, FlagStatus


@dataclass(frozen=True, slots=True)
class DataCheck:
    indicator_id: int
    observation_ids: tuple[int, ...]
    value: Decimal
    vintage: date  # the newest among the observations used
    source_id: int | None  # theirs, when they share one
    agrees: bool
    basis: str  # how the value was read (aggregation.read_period)


class IndicatorRow(NamedTuple):
    id: int
    entity_id: int
    metric_id: int
    unit: str
    frequency: str
    aggregation: str


INDICATORS_OF = sa_select(
    col(Indicator.id),
    col(Indicator.entity_id),
    col(Indicator.metric_id),
    col(Indicator.unit),
    col(Indicator.frequency),
    col(Indicator.aggregation),
).where(in_list(col(Indicator.entity_id), "ids"))
# Only the periods and vintages the claims can meet (each claim's own period and the periods
# of the indicator's frequency inside it): never a whole long series.
OBSERVED_FOR = (
    sa_select(
        col(Observation.id),
        col(Observation.indicator_id),
        col(Observation.period_start),
        col(Observation.period_end),
        col(Observation.value),
        col(Observation.vintage),
        col(Observation.source_id),
        col(Observation.status),  # withdrawn ones are dropped when read (`status_is`)
    )
    .where(
        in_list(col(Observation.indicator_id), "indicators"),
        in_list(col(Observation.period_end), "ends", "date"),
        col(Observation.vintage) <= bindparam("latest"),
    )
    .order_by(col(Observation.vintage), col(Observation.id))
)


def _ends(claim: StoredClaim, indicator: IndicatorRow) -> list[date]:
    """The period ends of the observations a claim may meet."""
    assert claim.period_start is not None and claim.period_end is not None
    tiles = aggregation.parts(indicator.frequency, claim.period_start, claim.period_end) or []
    if indicator.aggregation == aggregation.Aggregation.STOCK:
        tiles = tiles[-1:]
    return [claim.period_end, *(end for _, end in tiles)]


def checks_for(
    session: Session,
    claims: Sequence[StoredClaim],
    indicator_rows: Sequence[IndicatorRow] | None = None,
) -> dict[int, DataCheck]:
    """The data each claim meets, if any, in two queries for any number of claims, one when
    the caller has read the indicators of the claims' entities (`indicator_rows`).

    The data known on the claim's date are the latest vintage of each period published on or
    before its `asserted_on`; its period's value is read from them by the indicator's
    aggregation (`aggregation.read_period`: the observation of that period, else the sum,
    average or end value of the indicator's periods inside it, once they cover it)."""
    # Indicators hold levels: a change, multiple or share of one never meets their data.
    dated = [
        c
        for c in claims
        if c.id is not None
        and c.period_start
        and c.period_end
        and c.figure_type == FigureType.LEVEL
    ]
    if not dated:
        return {}
    if indicator_rows is None:
        indicator_rows = fetch(session, INDICATORS_OF, {"ids": list({c.entity_id for c in dated})})
    indicators = {(i.entity_id, i.metric_id): IndicatorRow(*i) for i in indicator_rows}
    wanted: list[tuple[StoredClaim, IndicatorRow]] = []
    for c in dated:
        found = indicators.get((c.entity_id, c.metric_id))
        if found is not None and found.unit == c.unit:
            wanted.append((c, found))
    if not wanted:
        return {}
    rows = status_is(
        fetch(
            session,
            OBSERVED_FOR,
            {
                "indicators": list({i.id for _, i in wanted}),
                "ends": sorted({end for c, i in wanted for end in _ends(c, i)}),
                "latest": max(c.asserted_on for c, _ in wanted),
            },
        ),
        ObservationStatus.LIVE,
    )
    of_indicator: dict[int, list[Any]] = {}
    for r in rows:
        of_indicator.setdefault(r.indicator_id, []).append(r)
    out: dict[int, DataCheck] = {}
    for claim, indicator in wanted:
        assert claim.id is not None and claim.period_start and claim.period_end
        span = (claim.period_start, claim.period_end)
        # Rows come oldest vintage first: the latest known one of each period stays.
        known = {
            (r.period_start, r.period_end): r
            for r in of_indicator.get(indicator.id, [])
            if r.vintage <= claim.asserted_on
            and span[0] <= r.period_start
            and r.period_end <= span[1]
        }
        read = aggregation.read_period(
            indicator.aggregation, indicator.frequency, span, known, lambda r: r.value
        )
        if read is None:
            continue
        interval = Interval(claim.low, claim.high, claim.low_open, claim.high_open)
        sources = {r.source_id for r in read.used}
        out[claim.id] = DataCheck(
            indicator.id,
            tuple(r.id for r in read.used),
            read.value,
            max(r.vintage for r in read.used),
            sources.pop() if len(sources) == 1 else None,
            interval.contains(read.value),
            read.basis,
        )
    return out


# By group alone; the open ones are kept with `status_is` (why: app/core/inlist.py).
DATA_FLAGS = select(Flag).where(in_list(col(Flag.group_key), "keys", "text"))


def reconcile(
    session: Session,
    claims: Sequence[StoredClaim],
    *,
    actor_id: int | None,
    fresh: bool = False,
    checks: dict[int, DataCheck] | None = None,
    shared: flags.Opening | None = None,
) -> dict[int, list[FlagNote]]:
    """Open or close each claim's contradicted_by_data flag to match what the data say
    (`fresh`: stored by this transaction, so no flag names them yet; `checks`: what
    `checks_for` gave for them, when the caller has it already)."""
    live = [c for c in claims if c.status == ClaimStatus.ACTIVE]
    if checks is None:
        checks = checks_for(session, live)
    else:  # only a live claim is held to the data
        checks = {c.id: checks[c.id] for c in live if c.id in checks}
    ids = [c.id for c in claims if c.id is not None]
    open_flags: dict[int, Flag] = (
        {}
        if fresh
        else {
            int(f.group_key.removeprefix("data:")): f
            for f in status_is(
                session.execute(DATA_FLAGS, {"keys": [f"data:{i}" for i in ids]}).scalars(),
                FlagStatus.OPEN,
            )
        }
    )
    notes: dict[int, list[FlagNote]] = {i: [] for i in ids}
    to_open: list[flags.NewFlag] = []
    for claim in claims:
        assert claim.id is not None
        check = checks.get(claim.id)
        flag = open_flags.get(claim.id)
        if check is not None and not check.agrees:
            if flag is None:
                summary = (
                    f"claim {claim.id} says {claim.value_text}; indicator {check.indicator_id} "
                    f"had {check.value} ({check.basis}; vintage {check.vintage}, "
                    f"source {check.source_id})"
                )
                to_open.append(
                    flags.NewFlag(
                        kind=FlagKind.CONTRADICTED_BY_DATA,
                        group_key=f"data:{claim.id}",
                        entity_id=claim.entity_id,
                        metric_id=claim.metric_id,
                        summary=summary,
                        claim_ids=[claim.id],
                    )
                )
            else:
                notes[claim.id].append(
                    FlagNote(id=flag.id or 0, kind=flag.kind, status=flag.status)
                )
        elif flag is not None:
            why = (
                f"vintage {check.vintage} ({check.value}) agrees with the claim"
                if check is not None
                else "the claim no longer meets data it contradicts"
            )
            seen = {"vintage": check.vintage.isoformat()} if check is not None else {}
            flags.clear(session, flag, why, actor_id, **seen)
    flags.open_each(session, to_open, notes, actor_id=actor_id, shared=shared)
    session.flush()
    return notes


def claims_meeting(session: Session, indicator_id: int) -> list[Claim]:
    """The live claims an indicator's observations may confirm or contradict."""
    indicator = session.get(Indicator, indicator_id)
    if indicator is None:
        return []
    return list(
        session.execute(
            select(Claim).where(
                col(Claim.entity_id) == indicator.entity_id,
                col(Claim.metric_id) == indicator.metric_id,
                col(Claim.period_start).is_not(None),
            )
        ).scalars()
    )
