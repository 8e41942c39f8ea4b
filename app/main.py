"""create_app(): the routers, middleware and error handlers of the Claimtrack API."""

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app import health
from app.audit.router import router as events_router
from app.auth.router import router as keys_router
from app.claims.router import router as claims_router
from app.core.config import get_settings
from app.core.errors import install_error_handlers
from app.core.limits import RequestGuardMiddleware
from app.entities.router import router as entities_router
from app.fx.router import router as fx_router
from app.indicators.models import ObservationIn
from app.indicators.router import router as indicators_router
from app.indicators.router import watchlist_router
from app.review.router import router as review_router
from app.sources.router import router as sources_router

DESCRIPTION = """Quantitative claims from briefings and news, with their sources and quotes,
read into intervals and periods. Authenticate with `Authorization: Bearer <API key>`.
Errors are RFC 9457 problem+json with a stable `code` and the offending `field`.
Creating POSTs take an `Idempotency-Key` header, so that a retry never creates twice."""


def _operation_id(route: APIRoute) -> str:
    return route.name


def _with_body_schemas(app: FastAPI, models: tuple[type[BaseModel], ...]) -> None:
    """Routes that read raw bodies (JSON or CSV) still name their JSON shape in the spec."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        spec = build()
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        for model in models:
            found = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, sub in found.pop("$defs", {}).items():
                schemas.setdefault(name, sub)
            schemas.setdefault(model.__name__, found)
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def create_app() -> FastAPI:
    settings = get_settings()
    app = FastAPI(
        title="Claimtrack",
        version="0.1.0",
        description=DESCRIPTION,
        generate_unique_id_function=_operation_id,
    )
    install_error_handlers(app)
    app.add_middleware(RequestGuardMiddleware, max_bytes=settings.max_body_bytes)
    for router in (
        health.router,
        claims_router,
        review_router,
        sources_router,
        entities_router,
        fx_router,
        indicators_router,
        watchlist_router,
        keys_router,
        events_router,
    ):
        app.include_router(router)
    _with_body_schemas(app, (ObservationIn,))
    return app


app = create_app()
