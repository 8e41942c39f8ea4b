"""flows.review: a reviewer's decision (a verdict, or a rank given when a
conflict is resolved) sets the claims' verification state; the review domain only stores it."""

from typing import Any

from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.auth import service as keys
from app.auth.models import ApiKey, ApiKeyCreate, Role
from app.claims.models import Claim, ClaimCreate
from app.flows import claims, review
from app.review import reviews as review_domain
from app.review.models import (
    Flag,
    FlagKind,
    RankedClaim,
    ResolveDismissed,
    ResolveRanked,
    ReviewIn,
    Verdict,
)
from tests.factories import claim_body

TRADE = {"entity": "EU-Kazakhstan", "metric": "trade turnover", "kind": "actual", "period": "2025"}


def _claim(session: Session, **overrides: Any) -> Claim:
    body = ClaimCreate.model_validate(claim_body(**overrides))
    stored = claims.create_one(session, body, actor_id=None).claim
    claim = session.get(Claim, stored.id)
    assert claim is not None
    return claim


def _reviewer(session: Session) -> ApiKey:
    key, _ = keys.create(session, ApiKeyCreate(name="r", role=Role.REVIEWER), created_by_id=None)
    return key


def _state(session: Session, claim: Claim) -> tuple[str, str | None]:
    session.refresh(claim)
    return (claim.verification, claim.verdict)


def _changes(session: Session, claim: Claim) -> list[dict[str, Any] | None]:
    assert claim.id is not None
    events = audit.get_all(session, record_type="claim", record_id=claim.id)
    return [e.after for e in events if e.action == "claim.verification_changed"]


def test_a_verdict_stored_by_the_review_domain_alone_leaves_the_state(session: Session) -> None:
    claim = _claim(session)
    assert claim.id is not None
    review_domain.add_review(
        session, claim, ReviewIn(verdict=Verdict.INACCURATE), key=_reviewer(session)
    )
    assert _state(session, claim) == ("unverified", None)


def test_the_review_flow_makes_the_claim_reviewed_with_the_latest_verdict(
    session: Session,
) -> None:
    claim = _claim(session)
    assert claim.id is not None
    key = _reviewer(session)
    review.add_review(session, claim.id, ReviewIn(verdict=Verdict.MISLEADING), key=key)
    assert _state(session, claim) == ("reviewed", "misleading")
    review.add_review(session, claim.id, ReviewIn(verdict=Verdict.MISLEADING), key=key)
    review.add_review(session, claim.id, ReviewIn(verdict=Verdict.ACCURATE), key=key)
    assert _state(session, claim) == ("reviewed", "accurate")
    assert [(a or {}).get("verdict") for a in _changes(session, claim)] == [
        "misleading",
        "accurate",
    ]


def test_ranking_a_conflict_reviews_the_claims_it_ranks_and_no_other(session: Session) -> None:
    first = _claim(session, **TRADE, value_text="$45 billion")
    second = _claim(session, **TRADE, value_text="$40 billion")
    third = _claim(session, **TRADE, value_text="$30 billion")
    assert first.id is not None and second.id is not None
    flag = session.execute(select(Flag).where(col(Flag.kind) == FlagKind.CONFLICT)).scalar_one()
    assert flag.id is not None
    body = ResolveRanked(
        resolution="ranked",
        preferred=[RankedClaim(claim_id=first.id, reason="final")],
        deprecated=[RankedClaim(claim_id=second.id, reason="preliminary")],
    )
    review.resolve(session, flag.id, body, expected_version=None, actor_id=None)
    assert [_state(session, c) for c in (first, second, third)] == [
        ("reviewed", None),
        ("reviewed", None),
        ("unverified", None),
    ]


def test_dismissing_a_flag_decides_nothing_of_its_claims(session: Session) -> None:
    claim = _claim(session)
    assert claim.id is not None
    dismissed = ResolveDismissed(resolution="dismissed", reason="known")
    review.resolve(session, -claim.id, dismissed, expected_version=None, actor_id=None)
    assert _state(session, claim) == ("unverified", None)
    assert _changes(session, claim) == []
