"""/api/v1/claims/{id}/reviews: verdicts on claims, and the latest as ClaimReview JSON-LD."""

import orjson
from fastapi import APIRouter, Request, Response, status

from app.auth.deps import AUTH_ERRORS, Reader, Reviewer
from app.claims import storage as claims
from app.claims.errors import ClaimNotFound, ClaimRetracted
from app.core.errors import (
    responses,
)
from app.core.links import link, success
from app.core.models import as_utc
from app.core.params import PathId
from app.core.publishing import publishing
from app.core.sessions import SessionDep
from app.core.urls import base_url
from app.flows import review
from app.idempotency.deps import IDEMPOTENT, IdempotentRoute
from app.idempotency.errors import IDEMPOTENCY_ERRORS
from app.review import claimreview, reviews
from app.review.errors import NoReview
from app.review.models import (
    Review,
    ReviewIn,
    ReviewPublic,
)

router = APIRouter(prefix="/api/v1", tags=["review"], route_class=IdempotentRoute)


def review_public(r: Review) -> ReviewPublic:
    assert r.id is not None
    return ReviewPublic(
        id=r.id,
        claim_id=r.claim_id,
        verdict=r.verdict,
        note=r.note,
        reviewer=r.reviewer,
        reviewer_key_id=r.reviewer_key_id,
        created_at=as_utc(r.created_at) or r.created_at,
    )


@router.post(
    "/claims/{claim_id}/reviews",
    status_code=status.HTTP_201_CREATED,
    operation_id="claims_review",
    responses={
        **responses(*AUTH_ERRORS, ClaimNotFound, ClaimRetracted, *IDEMPOTENCY_ERRORS),
        **success(
            201,
            {
                "ClaimReviewJsonLd": link(
                    "claims_claimreview",
                    "The latest verdict as ClaimReview.",
                    claim_id="$response.body#/claim_id",
                ),
                "ClaimReviews": link(
                    "claims_reviews", "Verdicts on the claim.", claim_id="$response.body#/claim_id"
                ),
            },
        ),
    },
    dependencies=[IDEMPOTENT],
)
def review_claim(
    claim_id: PathId, data: ReviewIn, session: SessionDep, key: Reviewer
) -> ReviewPublic:
    """Record a verdict on a claim: the claim is reviewed, the latest verdict its detail."""
    return review_public(review.add_review(session, claim_id, data, key=key))


@router.get(
    "/claims/{claim_id}/reviews",
    operation_id="claims_reviews",
    responses=responses(*AUTH_ERRORS, ClaimNotFound),
)
def list_reviews(claim_id: PathId, session: SessionDep, _: Reader) -> list[ReviewPublic]:
    """Every verdict on a claim, oldest first."""
    claims.get(session, claim_id)
    return [review_public(r) for r in reviews.reviews_of(session, claim_id)]


@router.get(
    "/claims/{claim_id}/claimreview",
    operation_id="claims_claimreview",
    responses={
        **responses(*AUTH_ERRORS, ClaimNotFound, NoReview),
        200: {"content": {"application/ld+json": {"schema": {"type": "object"}}}},
    },
)
def claim_review(claim_id: PathId, request: Request, session: SessionDep, _: Reader) -> Response:
    """The latest review as schema.org ClaimReview JSON-LD; 404 when there is none. Its `url` is
    the claim's public page, `/fact-checks/{claim_id}` (served when fact checks are published),
    its `author` the publishing organisation, the reviewer the rating's author."""
    check = claimreview.fact_check(session, claims.get(session, claim_id))
    doc = claimreview.json_ld(
        check, base_url=base_url(request), publisher=publishing(request).publisher
    )
    return Response(orjson.dumps(doc), media_type="application/ld+json")
