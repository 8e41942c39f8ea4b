"""A reviewer's verdict: the review is stored, and the claim's verification state follows (any
verdict makes it reviewed, the verdict its detail, and closes its queue item)."""

from sqlalchemy.orm import Session

from app.auth.models import ApiKey, Caller
from app.claims import storage
from app.review import reviews, verification
from app.review.models import Review, ReviewIn


def add_review(session: Session, claim_id: int, data: ReviewIn, *, key: ApiKey | Caller) -> Review:
    """Record a verdict on a claim, then set the claim's state from it."""
    claim = storage.get(session, claim_id)
    review = reviews.add_review(session, claim, data, key=key)
    verification.reconcile(session, [claim], actor_id=key.id)
    return review
