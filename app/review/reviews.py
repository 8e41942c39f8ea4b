"""Reviews of a claim, and the latest one as schema.org ClaimReview JSON-LD."""

from typing import Any

from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.audit import service as audit
from app.auth.models import ApiKey, Caller
from app.claims.errors import ClaimRetracted
from app.claims.models import Citation, Claim, ClaimStatus
from app.core.models import as_utc
from app.review.errors import NoReview
from app.review.models import Review, ReviewIn, Verdict
from app.sources.models import Source


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


RATING: dict[Verdict, tuple[int, str]] = {
    Verdict.ACCURATE: (5, "Accurate"),
    Verdict.MOSTLY_ACCURATE: (4, "Mostly accurate"),
    # Unverifiable sits in the middle: it says neither true nor false.
    Verdict.UNVERIFIABLE: (3, "Unverifiable"),
    Verdict.MISLEADING: (2, "Misleading"),
    Verdict.INACCURATE: (1, "Inaccurate"),
}


def claim_review(session: Session, claim: Claim, *, base_url: str) -> dict[str, Any]:
    """The latest review as schema.org ClaimReview JSON-LD."""
    assert claim.id is not None
    reviews = reviews_of(session, claim.id)
    if not reviews:
        raise NoReview(f"claim {claim.id} has no review")
    review = reviews[-1]
    value, name = RATING[review.verdict]
    sources = session.execute(
        sa_select(
            col(Source.url), col(Source.title), col(Source.publisher), col(Source.published_on)
        )
        .join(Citation, col(Citation.source_id) == col(Source.id))
        .where(col(Citation.claim_id) == claim.id)
        .order_by(col(Citation.id))
    ).all()
    reviewed_at = as_utc(review.created_at) or review.created_at
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{base_url.rstrip('/')}/api/v1/claims/{claim.id}/claimreview",
        "claimReviewed": claim.statement,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": claim.stated_by},
            "datePublished": claim.asserted_on.isoformat(),
            "appearance": [
                {
                    "@type": "CreativeWork",
                    "url": s.url,
                    "headline": s.title,
                    **(
                        {"publisher": {"@type": "Organization", "name": s.publisher}}
                        if s.publisher
                        else {}
                    ),
                    **({"datePublished": s.published_on.isoformat()} if s.published_on else {}),
                }
                for s in sources
            ],
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": name,
        },
        "author": {"@type": "Person", "name": review.reviewer},
        "datePublished": reviewed_at.date().isoformat(),
        "reviewBody": review.note or None,
    }
