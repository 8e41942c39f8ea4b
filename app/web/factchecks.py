"""`/fact-checks`: the published fact checks, public (no sign-in): an index, and a page per
claim with a verdict carrying the ClaimReview JSON-LD the API exports, embedded. Served only
when `CLAIMTRACK_PUBLISH_FACT_CHECKS` is on; otherwise, and for a claim with no verdict or
retracted, 404."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from app.core.params import MAX_ID, PathId
from app.core.publishing import Publishing, publishing
from app.core.sessions import SessionDep
from app.core.urls import base_url
from app.review import claimreview
from app.review.errors import FactCheckNotFound
from app.web.render import PageRoute, page

router = APIRouter(prefix="/fact-checks", route_class=PageRoute, include_in_schema=False)

PAGE_SIZE = 50


def _published(request: Request) -> Publishing:
    found = publishing(request)
    if not found.enabled:
        raise FactCheckNotFound("this site does not publish fact checks")
    return found


@router.get("")
def index(
    request: Request,
    session: SessionDep,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    """Every published fact check, the latest verdict first, a page at a time."""
    site = _published(request)
    listed = claimreview.published_list(session, before=before, limit=PAGE_SIZE + 1)
    shown = listed[:PAGE_SIZE]
    older = shown[-1].review_id if len(listed) > PAGE_SIZE else None
    context = {"items": shown, "older": older, "publisher": site.publisher, "before": before}
    return page(request, "fact_checks.html", context)


@router.get("/{claim_id}")
def fact_check(claim_id: PathId, request: Request, session: SessionDep) -> Response:
    """A claim's fact check: the claim as written, who said it and when, the verdict with the
    reviewer's explanation, the citations; its ClaimReview JSON-LD in the page's head."""
    site = _published(request)
    check = claimreview.published(session, claim_id)
    ld = claimreview.json_ld(check, base_url=base_url(request), publisher=site.publisher)
    context = {
        "check": check,
        "ld": ld,
        "publisher": site.publisher,
        "best": claimreview.BEST_RATING,
    }
    return page(request, "fact_check.html", context)
