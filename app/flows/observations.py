"""Observations recorded, corrected and withdrawn, and what changed data bear on: the claims
about the same periods are checked against them, and the indicator's target_missed and stale
flags set anew."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.core.models import utcnow
from app.flows import notify
from app.indicators import checks, corrections, datacheck, observations
from app.indicators import service as indicators
from app.indicators.models import Observation, ObservationIn, ObservationPublic, ObservationUpdate


def _react(
    session: Session, indicator_id: int, actor_id: int | None, targets: dict[int, str] | None
) -> None:
    """Changed data may confirm or contradict claims about the same periods, meet a target or
    end a wait for data; then the use case's events are written (`targets`: the statuses of
    the indicator's targets before, for webhooks on their changes)."""
    meeting = datacheck.claims_meeting(session, indicator_id)
    datacheck.reconcile(session, meeting, actor_id=actor_id)
    checks.check_flags(
        session, indicators.get(session, indicator_id), utcnow().date(), actor_id=actor_id
    )
    notify.queue_target_changes(session, indicator_id, targets)
    notify.write_pending(session)


def record(
    session: Session,
    indicator_id: int,
    items: Sequence[ObservationIn],
    *,
    actor_id: int | None,
    confirm: bool = False,
) -> list[ObservationPublic]:
    """Store observations (all or nothing, each one audited; an outlier refused unless
    `confirm`), then re-check the claims that meet the indicator's data and its flags."""
    targets = notify.target_statuses(session, indicator_id)
    stored = observations.add_observations(
        session, indicator_id, items, actor_id=actor_id, confirm=confirm
    )
    _react(session, indicator_id, actor_id, targets)
    return stored


def correct(
    session: Session,
    indicator_id: int,
    observation_id: int,
    data: ObservationUpdate,
    *,
    expected_version: int | None,
    actor_id: int | None,
    confirm: bool = False,
) -> Observation:
    """Correct an observation, then re-check the claims meeting the indicator and its flags."""
    targets = notify.target_statuses(session, indicator_id)
    row = corrections.correct(
        session,
        indicator_id,
        observation_id,
        data,
        expected_version=expected_version,
        actor_id=actor_id,
        confirm=confirm,
    )
    _react(session, indicator_id, actor_id, targets)
    return row


def withdraw(
    session: Session,
    indicator_id: int,
    observation_id: int,
    *,
    reason: str,
    expected_version: int | None,
    actor_id: int | None,
) -> Observation:
    """Withdraw an observation: the claims it contradicted or confirmed are checked anew."""
    targets = notify.target_statuses(session, indicator_id)
    row = corrections.withdraw(
        session,
        indicator_id,
        observation_id,
        reason=reason,
        expected_version=expected_version,
        actor_id=actor_id,
    )
    _react(session, indicator_id, actor_id, targets)
    return row
