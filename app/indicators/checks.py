"""The target_missed and stale flags of indicators: opened when due, closed when data arrive."""

from datetime import date

from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.indicators.frequency import cadence
from app.indicators.models import Indicator
from app.indicators.progress import TargetStatus
from app.indicators.series import recent_points
from app.indicators.targets import progress_of
from app.review import flags
from app.review.models import Flag, FlagKind, FlagStatus


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
            t.status == TargetStatus.MISSED,
            f"{indicator.slug}: target {t.value_text} due {t.due_on} is {t.status}",
            actor_id,
        )
    regular = cadence(str(indicator.frequency))
    if regular is None:
        return
    last = recent_points(session, indicator.id, 1)
    late = bool(last) and (today - last[-1][0]).days > regular.stale_after_days
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


def close_target_flag(
    session: Session, indicator: Indicator, target_id: int, why: str, *, actor_id: int | None
) -> None:
    """A removed target's target_missed flag, closed: nothing is left to miss."""
    _set_flag(
        session, indicator, FlagKind.TARGET_MISSED, f"target:{target_id}", False, why, actor_id
    )


def check_all(session: Session, today: date, *, actor_id: int | None) -> int:
    """Run the flag checks for every indicator (from `claimtrack check` or the API)."""
    rows = list(session.execute(select(Indicator).order_by(col(Indicator.id))).scalars())
    for row in rows:
        check_flags(session, row, today, actor_id=actor_id)
    session.flush()
    return len(rows)
