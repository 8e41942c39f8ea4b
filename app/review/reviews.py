"""Reviews of a claim: verdicts given and read (`claimreview`: the latest as JSON-LD)."""

from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.auth.models import ApiKey, Caller
from app.claims.errors import ClaimRetracted
from app.claims.models import Claim, ClaimStatus
from app.review.models import Review, ReviewIn


def add_review(session: Session, claim: Claim, data: ReviewIn, *, key: ApiKey | Caller) -> Review:
    """A reviewer's verdict, stored and audited (`flows.reviews` sets the claim's state)."""
    assert claim.id is not None
    if claim.status != ClaimStatus.ACTIVE:
        raise ClaimRetracted(f"claim {claim.id} was retracted")
    review = Review(
        claim_id=claim.id,
        verdict=data.verdict,
        note=data.note,
        reviewer=data.reviewer or key.name,
        reviewer_key_id=key.id,
    )
    session.add(review)
    session.flush()
    assert review.id is not None
    audit.record(
        session,
        actor_id=key.id,
        action="review.created",
        record_type="review",
        record_id=review.id,
        after={"claim_id": claim.id, "verdict": data.verdict, "note": data.note},
    )
    return review


def reviews_of(session: Session, claim_id: int) -> list[Review]:
    return list(
        session.execute(
            select(Review).where(col(Review.claim_id) == claim_id).order_by(col(Review.id))
        ).scalars()
    )
