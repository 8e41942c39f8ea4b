"""A fact check: a claim with its latest verdict and what it cites, as schema.org ClaimReview
JSON-LD (the API's export and the public page's embedded copy are this one document), and the
fact checks a site publishes: every live claim with a verdict.

The document follows Google's fact-check guidelines: `claimReviewed`, `reviewRating` (with its
`alternateName`, and the numeric scale's `ratingValue`, `bestRating`, `worstRating`) and `url`
(the public page, `/fact-checks/{id}`), which are required; `author`, the organisation that
publishes the fact check (`CLAIMTRACK_PUBLISHER_*`; the reviewer when none is set);
`datePublished` (the verdict's date); `itemReviewed`, the `Claim` with who made it, when, and
where it appeared (its sources). The reviewer who gave the verdict is the rating's `author`, a
`Person`: the verdict is theirs, the article the organisation's."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.claims.models import Citation, Claim, ClaimStatus
from app.core.models import as_utc
from app.core.publishing import Publisher
from app.review.errors import FactCheckNotFound, NoReview
from app.review.models import Review, Verdict
from app.sources.models import Source

RATING: dict[Verdict, tuple[int, str]] = {
    Verdict.ACCURATE: (5, "Accurate"),
    Verdict.MOSTLY_ACCURATE: (4, "Mostly accurate"),
    # Unverifiable sits in the middle: it says neither true nor false.
    Verdict.UNVERIFIABLE: (3, "Unverifiable"),
    Verdict.MISLEADING: (2, "Misleading"),
    Verdict.INACCURATE: (1, "Inaccurate"),
}
BEST_RATING, WORST_RATING = 5, 1


def page_path(claim_id: int) -> str:
    """Where a claim's fact check is published, under the site's base URL."""
    return f"/fact-checks/{claim_id}"


@dataclass(frozen=True)
class Cited:
    """A citation of the claim: its quote and its source."""

    quote: str
    url: str
    title: str
    publisher: str | None
    published_on: date | None


@dataclass(frozen=True)
class FactCheck:
    claim: Claim
    review: Review  # the latest: it decides
    citations: list[Cited]

    @property
    def reviewed_at(self) -> datetime:
        return as_utc(self.review.created_at) or self.review.created_at

    @property
    def rating(self) -> tuple[int, str]:
        return RATING[self.review.verdict]


def fact_check(session: Session, claim: Claim) -> FactCheck:
    """The claim with its latest verdict and its citations; `NoReview` when it has no verdict."""
    assert claim.id is not None
    review = session.execute(
        sa_select(Review)
        .where(col(Review.claim_id) == claim.id)
        .order_by(col(Review.id).desc())
        .limit(1)
    ).scalar_one_or_none()
    if review is None:
        raise NoReview(f"claim {claim.id} has no review")
    rows = session.execute(
        sa_select(
            col(Citation.quote),
            col(Source.url),
            col(Source.title),
            col(Source.publisher),
            col(Source.published_on),
        )
        .join(Source, col(Citation.source_id) == col(Source.id))
        .where(col(Citation.claim_id) == claim.id)
        .order_by(col(Citation.id))
    ).all()
    return FactCheck(claim, review, [Cited(*row) for row in rows])


def published(session: Session, claim_id: int) -> FactCheck:
    """A claim's fact check as the public page shows it: a live claim with a verdict, else
    `FactCheckNotFound` (whichever is missing: a page says no more than that)."""
    claim = session.get(Claim, claim_id)
    if claim is None or claim.status != ClaimStatus.ACTIVE or claim.verdict is None:
        raise FactCheckNotFound(f"no published fact check of claim {claim_id}")
    try:
        return fact_check(session, claim)
    except NoReview as exc:
        raise FactCheckNotFound(f"no published fact check of claim {claim_id}") from exc


@dataclass(frozen=True)
class Listed:
    """A published fact check as the index lists it."""

    claim_id: int
    statement: str
    stated_by: str
    asserted_on: date
    verdict: Verdict
    review_id: int
    reviewed_at: datetime

    @property
    def rating_name(self) -> str:
        return RATING[self.verdict][1]


def published_list(session: Session, *, before: int | None = None, limit: int = 50) -> list[Listed]:
    """Live claims with a verdict, the latest verdict first; `before`: a review id (the next
    page starts below the last one listed)."""
    latest = (
        sa_select(col(Review.claim_id), func.max(col(Review.id)).label("review_id"))
        .group_by(col(Review.claim_id))
        .subquery()
    )
    query = (
        sa_select(
            col(Claim.id),
            col(Claim.statement),
            col(Claim.stated_by),
            col(Claim.asserted_on),
            col(Review.verdict),
            col(Review.id),
            col(Review.created_at),
        )
        .join(latest, latest.c.claim_id == col(Claim.id))
        .join(Review, col(Review.id) == latest.c.review_id)
        .where(col(Claim.status) == ClaimStatus.ACTIVE, col(Claim.verdict).is_not(None))
        .order_by(col(Review.id).desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(col(Review.id) < before)
    rows: list[Any] = list(session.execute(query).all())
    return [
        Listed(c, s, by, on, Verdict(v), r, as_utc(at) or at) for c, s, by, on, v, r, at in rows
    ]


def _organisation(publisher: Publisher) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": publisher.name,
        **({"url": publisher.url} if publisher.url else {}),
        **(
            {"logo": {"@type": "ImageObject", "url": publisher.logo_url}}
            if publisher.logo_url
            else {}
        ),
    }


def _appearances(citations: list[Cited]) -> list[dict[str, Any]]:
    """Each source once, in the order first cited."""
    seen: dict[str, dict[str, Any]] = {}
    for s in citations:
        if s.url in seen:
            continue
        seen[s.url] = {
            "@type": "CreativeWork",
            "url": s.url,
            "headline": s.title,
            **(
                {"publisher": {"@type": "Organization", "name": s.publisher}} if s.publisher else {}
            ),
            **({"datePublished": s.published_on.isoformat()} if s.published_on else {}),
        }
    return list(seen.values())


def json_ld(check: FactCheck, *, base_url: str, publisher: Publisher | None) -> dict[str, Any]:
    """The fact check as schema.org ClaimReview JSON-LD; `url` its page under `base_url`."""
    claim, review = check.claim, check.review
    assert claim.id is not None
    value, name = check.rating
    reviewer = {"@type": "Person", "name": review.reviewer}
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{base_url.rstrip('/')}{page_path(claim.id)}",
        "claimReviewed": claim.statement,
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": claim.stated_by},
            "datePublished": claim.asserted_on.isoformat(),
            "appearance": _appearances(check.citations),
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": name,
            "author": reviewer,
        },
        "author": _organisation(publisher) if publisher else reviewer,
        "datePublished": check.reviewed_at.date().isoformat(),
        **({"reviewBody": review.note} if review.note else {}),
    }
