"""flows.sources: a source that changes re-verifies the claims that stand on it."""

import pytest
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


@pytest.mark.parametrize(
    ("cited_as", "made", "before", "after"),
    [
        ("news", SourceKind.OFFICIAL, VerificationState.UNVERIFIED, VerificationState.VERIFIED),
        ("official", SourceKind.NEWS, VerificationState.VERIFIED, VerificationState.UNVERIFIED),
    ],
)
def test_a_source_whose_kind_changes_re_verifies_the_claims_citing_it(
    session: Session,
    cited_as: str,
    made: SourceKind,
    before: VerificationState,
    after: VerificationState,
) -> None:
    citation = {**claim_body()["citations"][0], "kind": cited_as}
    body = ClaimCreate.model_validate(claim_body(citations=[citation]))
    claim = claims.create_one(session, body, actor_id=None).claim
    assert _state(session, claim.id) == before
    source = source_service.get_by_url(session, "https://example.com/ktz")
    assert source is not None and source.id is not None

    sources.update(
        session, source.id, SourceUpdate(kind=made), expected_version=source.version, actor_id=None
    )

    assert _state(session, claim.id) == after
