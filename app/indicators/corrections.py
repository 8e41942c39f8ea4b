"""Recorded observations corrected (a typo fixed in place: a new version, the old value kept in
its event) and withdrawn (a soft delete: kept, with its history, out of every series).

A value published later is not a correction but a new vintage (`observations.add_observations`).
What a changed value sets off (claims checked against it, flags) is `flows/observations.py`'s."""

from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.audit import service as audit
from app.core.types import decimal_text
from app.core.versioning import bump_version, check_version
from app.indicators.errors import ObservationExists, ObservationNotFound, ObservationWithdrawn
from app.indicators.models import (
    Observation,
    ObservationIn,
    ObservationPublic,
    ObservationStatus,
    ObservationUpdate,
)
from app.indicators.observations import to_row
from app.indicators.outliers import refuse_outliers
from app.indicators.service import get as get_indicator

VALUE_FIELDS = frozenset({"value_text", "value", "unit"})


def to_public(row: Observation) -> ObservationPublic:
    assert row.id is not None
    return ObservationPublic(
        id=row.id,
        period=row.period_text,
        period_start=row.period_start,
        period_end=row.period_end,
        value=decimal_text(row.value) or "0",
        vintage=row.vintage,
        source_id=row.source_id,
        quote=row.quote,
        status=row.status,
        withdrawn_reason=row.withdrawn_reason,
        version=row.version,
    )


def get(session: Session, indicator_id: int, observation_id: int) -> Observation:
    """One observation of this indicator, live or withdrawn; 404 for the indicator or it."""
    get_indicator(session, indicator_id)
    row = session.get(Observation, observation_id)
    if row is None or row.indicator_id != indicator_id:
        raise ObservationNotFound(f"indicator {indicator_id} has no observation {observation_id}")
    return row


def _snapshot(row: Observation) -> dict[str, Any]:
    return {
        "indicator_id": row.indicator_id,
        **to_public(row).model_dump(mode="json", exclude={"id", "version"}),
    }


def _bump(session: Session, row: Observation, expected_version: int | None) -> None:
    """412 for a stale If-Match before anything else, 409 once withdrawn, then the next
    version in one statement (of two racing writers, one wins)."""
    assert row.id is not None
    check_version(row.version, expected_version, "observation", row.id)
    if row.status == ObservationStatus.WITHDRAWN:
        raise ObservationWithdrawn(f"observation {row.id} was withdrawn")
    bump_version(session, Observation, row.id, expected_version, "observation")
    session.refresh(row)


def _merged(row: Observation, unit: str, data: ObservationUpdate) -> ObservationIn:
    """The observation as it will read: the sent fields over the stored ones."""
    sent = data.model_fields_set
    value: dict[str, Any] = (
        {k: getattr(data, k) for k in VALUE_FIELDS if getattr(data, k) is not None}
        if sent & VALUE_FIELDS
        else {"value": decimal_text(row.value) or "0", "unit": unit}
    )
    return ObservationIn(
        period=data.period or row.period_text,
        vintage=data.vintage or row.vintage,
        citation=data.citation,
        **value,
    )


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
    """Fix a recorded observation's value, period, vintage or citation: a new version and an
    `observation.corrected` event with before and after. A new value 100 times off the series'
    recent median is refused unless `confirm`; a period and vintage taken by another is 409."""
    row = get(session, indicator_id, observation_id)
    indicator = get_indicator(session, indicator_id)
    before = _snapshot(row)
    check_version(row.version, expected_version, "observation", observation_id)
    if row.status == ObservationStatus.WITHDRAWN:
        raise ObservationWithdrawn(f"observation {observation_id} was withdrawn")
    new = to_row(session, indicator, _merged(row, indicator.unit, data), actor_id)
    if data.citation is None:
        new.update(source_id=row.source_id, quote=row.quote)
    key = (new["period_start"], new["period_end"], new["vintage"])
    taken = session.execute(
        sa_select(col(Observation.id)).where(
            col(Observation.indicator_id) == indicator_id,
            col(Observation.period_start) == key[0],
            col(Observation.period_end) == key[1],
            col(Observation.vintage) == key[2],
            col(Observation.id) != observation_id,
        )
    ).first()
    if taken is not None:
        raise ObservationExists(f"{key[0]}..{key[1]} already has a value of vintage {key[2]}")
    if not confirm and new["value"] != row.value:
        refuse_outliers(
            session,
            indicator_id,
            [new],
            aggregation=indicator.aggregation,
            correcting=observation_id,
        )
    _bump(session, row, expected_version)
    row.period_text = new["period_text"]
    row.period_start, row.period_end, row.vintage = key
    row.value = new["value"]
    row.source_id, row.quote = new["source_id"], new["quote"]
    session.flush()
    _event(session, row, "corrected", before, actor_id)
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
    """Soft delete: the observation stays, with its history, marked withdrawn with the reason;
    no series, data check, progress or outlier median reads it again."""
    row = get(session, indicator_id, observation_id)
    before = _snapshot(row)
    _bump(session, row, expected_version)
    row.status = ObservationStatus.WITHDRAWN
    row.withdrawn_reason = reason
    session.flush()
    _event(session, row, "withdrawn", before, actor_id)
    return row


def _event(
    session: Session, row: Observation, action: str, before: dict[str, Any], actor_id: int | None
) -> None:
    assert row.id is not None
    audit.record(
        session,
        actor_id=actor_id,
        action=f"observation.{action}",
        record_type="observation",
        record_id=row.id,
        version=row.version,
        before=before,
        after=_snapshot(row),
    )
