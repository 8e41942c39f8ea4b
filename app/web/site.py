"""The pages added to the app: their routers and their static files."""

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from app.web import keys, signin
from app.web.render import HERE

ROUTERS = (signin.router, keys.router)


def install(app: FastAPI) -> None:
    """Add the web app's pages (out of the OpenAPI document) and `/static/`."""
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
