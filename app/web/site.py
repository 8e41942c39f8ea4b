"""The pages added to the app: their routers. Their CSS and scripts are served with the
vendored front-end packages from app/static/ (`core.static`, mounted by `main.create_app`)."""

from fastapi import FastAPI

from app.web import (
    claim_form,
    claims,
    events,
    factchecks,
    indicators,
    keys,
    names,
    review,
    review_flag,
    signin,
    sources,
    watchlist,
    webhooks,
)

# /claims/new and the form's JSON helpers before /claims/{id}.
ROUTERS = (
    signin.router,
    watchlist.router,
    indicators.router,
    claim_form.router,
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
