"""Observations recorded, and what new data bear on: the claims about the same periods are
checked against them, and the indicator's target_missed and stale flags set anew."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.audit import service as audit
from app.core.models import utcnow
from app.indicators import checks, datacheck, observations
from app.indicators import service as indicators
from app.indicators.models import ObservationIn, ObservationPublic


def record(
    session: Session, indicator_id: int, items: Sequence[ObservationIn], *, actor_id: int | None
) -> list[ObservationPublic]:
    """Store observations (all or nothing, each one audited), then re-check the claims that
    meet the indicator's data and its flags."""
    stored = observations.add_observations(session, indicator_id, items, actor_id=actor_id)
    # New vintages may confirm or contradict claims about the same periods, meet a target or
    # end a wait for data.
    meeting = datacheck.claims_meeting(session, indicator_id)
    datacheck.reconcile(session, meeting, actor_id=actor_id)
    checks.check_flags(
        session, indicators.get(session, indicator_id), utcnow().date(), actor_id=actor_id
    )
    audit.write_pending(session)
    return stored
