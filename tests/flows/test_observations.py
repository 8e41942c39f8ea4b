"""flows.observations: recorded data re-check the claims meeting them and the targets."""

from datetime import date

from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.claims.models import ClaimCreate
from app.flows import claims, indicators, observations
from app.indicators import observations as stored
from app.indicators.models import IndicatorCreate, ObservationIn, TargetCreate
from app.review.models import Flag, FlagStatus
from tests.factories import claim_body


def _open(session: Session) -> list[str]:
    found = select(col(Flag.kind)).where(col(Flag.status) == FlagStatus.OPEN)
    return sorted(session.execute(found).scalars())


def _indicator_with_a_claim_and_a_target(session: Session) -> int:
    made = IndicatorCreate(name="EAEU trade", entity="EAEU", metric="trade turnover", unit="USD")
    indicator = indicators.create(session, made, actor_id=None)
    assert indicator.id is not None
    target = TargetCreate(value_text="at least $10 billion", due_on=date(2021, 12, 31))
    indicators.add_target(session, indicator.id, target, actor_id=None)
    said = claim_body(
        entity="EAEU",
        metric="trade turnover",
        value_text="$9 billion",
        period="2021-06",
        kind="actual",
        asserted_on="2021-08-01",
        statement="June trade was $9 billion.",
        citations=[],
    )
    claims.create_one(session, ClaimCreate.model_validate(said), actor_id=None)
    return indicator.id


JUNE = [ObservationIn(period="2021-06", value_text="$5 billion", vintage=date(2021, 7, 10))]


def test_recorded_observations_open_the_data_and_target_flags(session: Session) -> None:
    indicator_id = _indicator_with_a_claim_and_a_target(session)
    assert _open(session) == []
    observations.record(session, indicator_id, JUNE, actor_id=None)
    assert _open(session) == ["contradicted_by_data", "target_missed"]


def test_observations_stored_alone_set_off_nothing(session: Session) -> None:
    indicator_id = _indicator_with_a_claim_and_a_target(session)
    stored.add_observations(session, indicator_id, JUNE, actor_id=None)
    assert _open(session) == []
