"""The pages added to the app: their routers. Their CSS and scripts are served with the
vendored front-end packages from app/static/ (`core.static`, mounted by `main.create_app`)."""

from fastapi import FastAPI

from app.web import (
    claim_form,
    claims,
    draft_page,
    events,
    factchecks,
    indicator_manage,
    indicators,
    keys,
    names,
    observation_forms,
    review,
    review_flag,
    signin,
    sources,
    watchlist,
    webhooks,
)

# /claims/new, the form's JSON helpers and /claims/drafts before /claims/{id}; /indicators/new
# before /indicators/{ref}.
ROUTERS = (
    signin.router,
    watchlist.router,
    indicator_manage.router,
    observation_forms.router,
    indicators.router,
    claim_form.router,
    draft_page.router,
    claims.router,
    review.router,
    review_flag.router,
    sources.router,
    names.router,
    events.router,
    keys.router,
    webhooks.router,
    factchecks.router,
)


def install(app: FastAPI) -> None:
    """Add the web app's pages (out of the OpenAPI document)."""
    for router in ROUTERS:
        app.include_router(router)
