"""Indicators registered and edited, their targets set, their flags checked; audited."""

from datetime import date

from sqlalchemy.orm import Session

from app.core.models import utcnow
from app.flows import notify
from app.indicators import checks, datacheck, targets
from app.indicators import service as indicators
from app.indicators.models import Indicator, IndicatorCreate, IndicatorUpdate, Target, TargetCreate


def create(session: Session, data: IndicatorCreate, *, actor_id: int | None) -> Indicator:
    """A new indicator (its entity and metric created on the fly when new)."""
    row = indicators.create(session, data, actor_id=actor_id)
    notify.write_pending(session)
    return row


def update(
    session: Session,
    indicator_id: int,
    data: IndicatorUpdate,
    *,
    expected_version: int | None,
    actor_id: int | None,
) -> Indicator:
    """Edit an indicator at the version the client read; a new frequency or aggregation reads
    its data anew, so the claims meeting them and its target flags are checked again."""
    before = indicators.get(session, indicator_id)
    reading = (before.frequency, before.aggregation)
    row = indicators.update(
        session, indicator_id, data, expected_version=expected_version, actor_id=actor_id
    )
    if (row.frequency, row.aggregation) != reading:
        datacheck.reconcile(
            session, datacheck.claims_meeting(session, indicator_id), actor_id=actor_id
        )
        checks.check_flags(session, row, utcnow().date(), actor_id=actor_id)
    notify.write_pending(session)
    return row


def add_target(
    session: Session, indicator_id: int, data: TargetCreate, *, actor_id: int | None
) -> Target:
    """Set a target of an indicator."""
    target = targets.add_target(session, indicator_id, data, actor_id=actor_id)
    notify.write_pending(session)
    return target


def check_all(session: Session, today: date, *, actor_id: int | None) -> int:
    """Open or close every indicator's target_missed and stale flags as of `today`."""
    count = checks.check_all(session, today, actor_id=actor_id)
    notify.write_pending(session)
    return count
