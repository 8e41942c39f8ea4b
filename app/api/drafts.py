"""/api/v1/drafts: a pasted paragraph or briefing read into draft claims, nothing stored."""

from fastapi import APIRouter

from app.auth.deps import AUTH_ERRORS, Writer
from app.core.errors import responses
from app.core.sessions import SessionDep
from app.drafts.models import DraftRequest, DraftsAnswer
from app.flows import drafts

router = APIRouter(prefix="/api/v1", tags=["drafts"])


@router.post(
    "/drafts",
    operation_id="drafts_create",
    response_model=DraftsAnswer,
    responses=responses(*AUTH_ERRORS),
)
def create_drafts(body: DraftRequest, session: SessionDep, _: Writer) -> DraftsAnswer:
    """Read a text into draft claims, one a figure, with the digits that are no figure and
    why; nothing is stored: confirm the drafts' claims with POST /api/v1/claims:bulk."""
    return drafts.draft_claims(session, body)
