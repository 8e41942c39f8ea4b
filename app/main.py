"""create_app(): the routers, middleware and error handlers of the Claimtrack API."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from functools import partial
from typing import Any

import anyio.to_thread
from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi.telemetry import TelemetryConfig
from pydantic import BaseModel
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route
from starlette.types import ASGIApp

from app.api import (
    claims,
    docs,
    drafts,
    entities,
    events,
    flags,
    fx_rates,
    health,
    indicators,
    keys,
    metrics,
    publishers,
    reviews,
    series,
    series_many,
    sources,
    targets,
    watchlist,
    webhooks,
)
from app.auth.gate import KeyGate
from app.core.config import Settings, get_settings
from app.core.db import get_engine
from app.core.errors import (
    PROBLEM_SCHEMA,
    PROBLEM_TYPE,
    ConcurrentChange,
    Problem,
    install_error_handlers,
)
from app.core.limits import InFlightLimit, RequestGuardMiddleware, TrustedHosts
from app.core.logs import configure_logging
from app.core.loops import every
from app.core.media import UnsupportedMediaType, known_media_type
from app.core.memory import cap_malloc_arenas, freeze_startup_heap, trim_soon
from app.core.metrics import HttpMetrics
from app.core.observe import ObserveMiddleware
from app.core.publishing import Publishing
from app.core.query import known_query
from app.core.ratelimit import RateLimits
from app.core.static import STATIC_PATH, StaticAssets
from app.flows import notify
from app.indicators import schedule
from app.indicators.models import ObservationIn
from app.web import site
from app.webhooks import outbox
from app.webhooks.addresses import UrlPolicy
from app.webhooks.worker import DeliveryMetrics, Worker

DESCRIPTION = """Quantitative claims from briefings and news, with their sources and quotes,
read into intervals and periods. Authenticate with `Authorization: Bearer <API key>`.
Errors are RFC 9457 problem+json with a stable `code` and the offending `field`.
Creating POSTs take an `Idempotency-Key` header, so that a retry never creates twice; all but
`POST /api/v1/keys`, which refuses it (422): a new key's secret is shown once and kept nowhere."""


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


WRITES = ("post", "put", "patch", "delete")


def _with_write_answers(app: FastAPI) -> None:
    """What any writing route may answer, in the spec of each: 409 `concurrent_change` (a
    unique or foreign-key race that outlived the per-name lock), 415 where it takes a body
    (`core.media`), and, where an
    Idempotency-Key is taken, the `Idempotency-Replayed` header of a replayed answer."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        spec = build()
        for operations in spec.get("paths", {}).values():
            for method, operation in operations.items():
                if method not in WRITES:
                    continue
                answers = operation.setdefault("responses", {})
                conflict = answers.setdefault(
                    "409",
                    {
                        "description": "",
                        "content": {PROBLEM_TYPE: {"schema": PROBLEM_SCHEMA}},
                    },
                )
                titles = [t for t in conflict["description"].split("; ") if t]
                if ConcurrentChange.title not in titles:
                    conflict["description"] = "; ".join([*titles, ConcurrentChange.title])
                if "requestBody" in operation:
                    answers.setdefault(
                        "415",
                        {
                            "description": UnsupportedMediaType.title,
                            "content": {PROBLEM_TYPE: {"schema": PROBLEM_SCHEMA}},
                        },
                    )
                takes_key = any(
                    p.get("in") == "header" and p.get("name") == "Idempotency-Key"
                    for p in operation.get("parameters", [])
                )
                for status, answer in answers.items() if takes_key else ():
                    if status.startswith("2"):
                        answer.setdefault("headers", {})["Idempotency-Replayed"] = {
                            "description": "`true` when this is the kept answer of an earlier "
                            "request with the same Idempotency-Key",
                            "schema": {"type": "string", "enum": ["true"]},
                        }
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def _with_if_match_required(app: FastAPI) -> None:
    """If-Match is read as optional, so that its absence is answered 428 rather than 422; the
    document says what a client must send: it is required (and spelt as HTTP spells it)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        spec = build()
        for operations in spec.get("paths", {}).values():
            for operation in operations.values():
                for param in operation.get("parameters", []):
                    if param.get("in") == "header" and param["name"].lower() == "if-match":
                        param.update(
                            name="If-Match",
                            required=True,
                            description="the ETag you read (428 without it, 412 when the"
                            " record changed since)",
                            schema={"type": "string", "maxLength": 200},
                        )
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


# Headers a browser script may send, and may read, when CORS is open.
CORS_REQUEST_HEADERS = (
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "X-Request-ID",
)
CORS_RESPONSE_HEADERS = ("ETag", "Link", "Location", "Retry-After", "X-Request-ID")


def _observed(app: FastAPI, settings: Settings) -> None:
    """Wrap the whole middleware stack, Starlette's ServerErrorMiddleware included."""
    app.state.metrics = HttpMetrics() if settings.metrics_enabled else None
    build = app.build_middleware_stack

    def build_middleware_stack() -> ASGIApp:
        # Routes that are not APIRoutes (/openapi.json, /docs) leave no route in the scope;
        # those with a fixed path are named by it.
        fixed = frozenset(
            route.path
            for route in app.routes
            if isinstance(route, Route) and not isinstance(route, APIRoute)
            if "{" not in route.path
        )
        return ObserveMiddleware(
            build(), metrics=app.state.metrics, log_requests=settings.access_log, fixed=fixed
        )

    app.build_middleware_stack = build_middleware_stack  # type: ignore[method-assign]


@asynccontextmanager
async def _lifespan(app: FastAPI, settings: Settings) -> AsyncIterator[None]:
    cap_malloc_arenas()  # before the thread pool starts its threads
    if settings.in_flight_limit:
        # More worker threads than requests in flight: a request that holds a database
        # connection must always find a thread to go on with (threads blocked waiting for a
        # pooled connection must not be all there are).
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = max(limiter.total_tokens, settings.worker_threads)
    freeze_startup_heap()
    async with (
        _delivering(app, settings),
        every(
            settings.check_interval_minutes * 60,
            partial(schedule.scheduled_check, notify.write_checked),
        ),
        every(settings.memory_trim_interval_s, trim_soon),
        every(settings.webhook_refresh_s, outbox.refresh_soon),
    ):
        yield


@asynccontextmanager
async def _delivering(app: FastAPI, settings: Settings) -> AsyncIterator[None]:
    """The webhook worker, in this process unless CLAIMTRACK_WEBHOOK_WORKER=false."""
    if not settings.webhook_worker:
        yield
        return
    registry = app.state.metrics.registry if app.state.metrics is not None else None
    worker = Worker(get_engine(), settings, metrics=DeliveryMetrics(registry))
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        yield
    finally:
        stop.set()
        # Cancelled if it takes longer: its events are taken again once their lease ends.
        with suppress(TimeoutError):
            await asyncio.wait_for(task, settings.webhook_timeout_s + 1)


# A request is matched against the routes in this order, one by one (each router's in turn):
# the routes dashboards poll come first. No two routes match the same path (checked over the
# OpenAPI paths), so the order changes only the time the match takes.
ROUTERS = (
    health.router,
    claims.router,
    drafts.router,
    series.router,
    series_many.router,
    indicators.router,
    targets.router,
    flags.router,
    reviews.router,
    sources.router,
    publishers.router,
    entities.router,
    fx_rates.router,
    watchlist.router,
    keys.router,
    events.router,
    webhooks.router,
    docs.router,
)

NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings)
    app = FastAPI(
        title="Claimtrack",
        version="0.1.0",
        description=DESCRIPTION,
        generate_unique_id_function=_operation_id,
        # Every route: a query parameter it does not declare is a 422, never ignored; a body
        # in a media type it does not take, a 415.
        dependencies=[Depends(known_query), Depends(known_media_type)],
        lifespan=lambda app: _lifespan(app, settings),
        # On by default in FastAPI, which then looks up the global providers on every request,
        # whether an SDK set them up or not.
        telemetry=None if settings.opentelemetry else NO_TELEMETRY,
        # Served by `docs.router` from the app's own copies of Swagger UI and ReDoc, not a CDN.
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    # The last added runs first: the guards on the headers (and the body's, once it is read),
    # the key gate, then a slot.
    if settings.in_flight_limit:
        app.add_middleware(
            InFlightLimit,
            limit=settings.in_flight_limit,
            wait_s=settings.max_in_flight_wait_ms / 1000,
        )
    app.add_middleware(KeyGate, routes=[route for router in ROUTERS for route in router.routes])
    app.add_middleware(
        RequestGuardMiddleware,
        max_bytes=settings.max_body_bytes,
        body_timeout_s=settings.body_timeout_s,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["DELETE", "GET", "PATCH", "POST"],
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_RESPONSE_HEADERS,
        )
    if settings.trusted_hosts != ["*"]:
        # Outermost but for the observer: a request for a host not served gets its 400 before
        # anything else looks at it.
        app.add_middleware(TrustedHosts, allowed_hosts=settings.trusted_hosts)
    _observed(app, settings)
    app.state.rate_limits = RateLimits.from_settings(settings)
    app.state.public_url = settings.public_url
    app.state.webhook_urls = UrlPolicy.of(
        settings.webhook_allow_http, settings.webhook_allowed_hosts
    )
    app.state.publishing = Publishing.from_settings(settings)
    if settings.metrics_enabled:
        app.include_router(metrics.router)
    for router in ROUTERS:
        app.include_router(router)
    app.mount(STATIC_PATH, StaticAssets(), name="static")
    site.install(app)  # the pages for people, after the API's routes; none in the OpenAPI document
    _with_body_schemas(app, (ObservationIn, Problem))
    _with_write_answers(app)
    _with_if_match_required(app)
    return app


app = create_app()
