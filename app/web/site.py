"""The pages added to the app: their routers. Their CSS and scripts are served with the
vendored front-end packages from app/static/ (`core.static`, mounted by `main.create_app`)."""

from fastapi import FastAPI

from app.web import events, keys, names, signin, sources

ROUTERS = (signin.router, keys.router, sources.router, names.router, events.router)


def install(app: FastAPI) -> None:
    """Add the web app's pages (out of the OpenAPI document)."""
    for router in ROUTERS:
        app.include_router(router)
