"""flows.sources: a source that changes re-verifies the claims that stand on it."""

from sqlalchemy.orm import Session
from sqlmodel import select

from app.claims.models import Claim, ClaimCreate
from app.claims.states import VerificationState
from app.flows import claims, sources
from app.sources import service as source_service
from app.sources.models import SourceKind, SourceUpdate
from tests.factories import claim_body


def _state(session: Session, claim_id: int | None) -> str:
    session.expire_all()
    return session.execute(select(Claim.verification).where(Claim.id == claim_id)).scalar_one()


def test_a_source_made_official_verifies_the_claims_citing_it(session: Session) -> None:
    claim = claims.create_one(
        session, ClaimCreate.model_validate(claim_body()), actor_id=None
    ).claim
    assert _state(session, claim.id) == VerificationState.UNVERIFIED
    source = source_service.get_by_url(session, "https://example.com/ktz")
    assert source is not None and source.id is not None

    sources.update(
        session,
        source.id,
        SourceUpdate(kind=SourceKind.OFFICIAL),
        expected_version=source.version,
        actor_id=None,
    )

    assert _state(session, claim.id) == VerificationState.VERIFIED


def test_a_source_made_news_again_unverifies_them(session: Session) -> None:
    official = {**claim_body()["citations"][0], "kind": "official"}
    claim = claims.create_one(
        session, ClaimCreate.model_validate(claim_body(citations=[official])), actor_id=None
    ).claim
    assert _state(session, claim.id) == VerificationState.VERIFIED
    source = source_service.get_by_url(session, "https://example.com/ktz")
    assert source is not None and source.id is not None

    sources.update(
        session,
        source.id,
        SourceUpdate(kind=SourceKind.NEWS),
        expected_version=source.version,
        actor_id=None,
    )

    assert _state(session, claim.id) == VerificationState.UNVERIFIED
