"""Draft claims from a pasted text: read, matched against the entities and metrics known,
each with the claim that confirms it. Nothing is written."""

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.claims.models import ClaimCreate
from app.core.models import utcnow
from app.drafts import build, catalog
from app.drafts.models import DraftRequest, DraftsAnswer


def draft_claims(session: Session, request: DraftRequest) -> DraftsAnswer:
    """Every figure of the text as a draft; each draft's claim is checked as
    `POST /claims:bulk` reads a row, and a claim it would refuse says why in the notices."""
    answer = build.draft(request, catalog.load(session), utcnow().date())
    for draft in answer.drafts:
        try:
            ClaimCreate.model_validate(draft.claim)
        except ValidationError as error:
            fields = ", ".join(".".join(map(str, e["loc"])) for e in error.errors())
            draft.notices.append(f"edit the claim before confirming it: {fields} refused")
    return answer
