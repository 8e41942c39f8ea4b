"""Claims meet data: a claim is compared with the observation known on the day it was made.

The claim's entity and metric must match an indicator, and its period must be one the
indicator has a value for; the value used is the latest vintage published on or before the
claim's `asserted_on` (as ALFRED does). A value outside the claim's interval opens a
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
from app.indicators.models import Indicator, Observation, ObservationStatus
from app.quantities import FigureType, Interval
from app.review import flags
from app.review.models import Flag, FlagKind, FlagNote, FlagStatus


@dataclass(frozen=True, slots=True)
class DataCheck:
    indicator_id: int
    observation_id: int
    value: Decimal
    vintage: date
    source_id: int | None
    agrees: bool


class IndicatorRow(NamedTuple):
    id: int
    entity_id: int
    metric_id: int
    unit: str


INDICATORS_OF = sa_select(
    col(Indicator.id), col(Indicator.entity_id), col(Indicator.metric_id), col(Indicator.unit)
).where(in_list(col(Indicator.entity_id), "ids"))
# Only the periods and vintages the claims can meet: never a whole long series.
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


def checks_for(
    session: Session,
    claims: Sequence[StoredClaim],
    indicator_rows: Sequence[IndicatorRow] | None = None,
) -> dict[int, DataCheck]:
    """The observation each claim meets, if any, in two queries for any number of claims, one
    when the caller has read the indicators of the claims' entities (`indicator_rows`)."""
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
    indicators = {(i.entity_id, i.metric_id): i for i in indicator_rows}
    wanted: list[tuple[StoredClaim, Any]] = []
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
                "ends": list({c.period_end for c, _ in wanted}),
                "latest": max(c.asserted_on for c, _ in wanted),
            },
        ),
        ObservationStatus.LIVE,
    )
    out: dict[int, DataCheck] = {}
    for claim, indicator in wanted:
        assert claim.id is not None and indicator.id is not None
        known = [
            r
            for r in rows
            if r.indicator_id == indicator.id
            and (r.period_start, r.period_end) == (claim.period_start, claim.period_end)
            and r.vintage <= claim.asserted_on
        ]
        if known:
            r = known[-1]
            interval = Interval(claim.low, claim.high, claim.low_open, claim.high_open)
            out[claim.id] = DataCheck(
                indicator.id, r.id, r.value, r.vintage, r.source_id, interval.contains(r.value)
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
                    f"had {check.value} (vintage {check.vintage}, source {check.source_id})"
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
