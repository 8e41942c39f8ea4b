"""flows.fx: a stored rate re-checks the claims in two currencies it lets be compared."""

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.claims.models import ClaimCreate
from app.flows import claims, fx
from app.fx.models import FxRateCreate
from app.review.models import Flag, FlagClaim, FlagKind, FlagStatus
from tests.factories import claim_body


def _trade(value_text: str) -> ClaimCreate:
    return ClaimCreate.model_validate(
        claim_body(
            entity="EU-Kazakhstan trade",
            metric="trade turnover",
            value_text=value_text,
            period="2024",
            kind="actual",
            statement=f"Trade reached {value_text} in 2024.",
        )
    )


def _open_conflicts(session: Session) -> list[set[int]]:
    flags = session.execute(
        select(Flag.id).where(Flag.kind == FlagKind.CONFLICT, Flag.status == FlagStatus.OPEN)
    ).scalars()
    return [
        set(
            session.execute(
                select(FlagClaim.claim_id).where(col(FlagClaim.flag_id) == flag_id)
            ).scalars()
        )
        for flag_id in flags
    ]


def test_a_stored_rate_opens_the_conflict_it_decides(session: Session) -> None:
    dollars = claims.create_one(session, _trade("$45 billion"), actor_id=None).claim
    euros = claims.create_one(session, _trade("€30 billion"), actor_id=None).claim
    assert _open_conflicts(session) == []  # no rate: the two cannot be compared yet

    rate = FxRateCreate(base="EUR", quote="USD", rate=Decimal("1.08"), as_of=date(2024, 6, 30))
    fx.store_rate(session, rate, actor_id=None)

    # €30 billion is [29.5, 30.5] billion EUR, about [31.9, 32.9] billion USD: not $45 billion.
    assert _open_conflicts(session) == [{dollars.id, euros.id}]


def test_a_rate_that_makes_them_agree_opens_nothing(session: Session) -> None:
    claims.create_one(session, _trade("$45 billion"), actor_id=None)
    claims.create_one(session, _trade("€30 billion"), actor_id=None)

    rate = FxRateCreate(base="EUR", quote="USD", rate=Decimal("1.5"), as_of=date(2024, 6, 30))
    fx.store_rate(session, rate, actor_id=None)

    assert _open_conflicts(session) == []
