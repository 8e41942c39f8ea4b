"""Typed errors and their one rendering: RFC 9457 problem+json with a stable `code`."""

import logging
from typing import Any, ClassVar

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.routing import Match

PROBLEM_TYPE = "application/problem+json"
log = logging.getLogger("claimtrack")


class FieldProblem(BaseModel):
    """One offending input: where it is and what is wrong with it."""

    field: str
    problem: str
    row: int | None = None


class Problem(BaseModel):
    """RFC 9457 problem details, as every error response carries them."""

    type: str = "about:blank"
    title: str
    status: int
    code: str
    detail: str | None = None
    field: str | None = None
    errors: list[FieldProblem] | None = None


class AppError(Exception):
    """An expected failure that carries its HTTP status and machine code."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        field: str | None = None,
        errors: list[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.field = field
        self.errors = errors
        self.headers = headers or {}

    def problem(self) -> Problem:
        return Problem(
            title=self.title,
            status=self.status,
            code=self.code,
            detail=self.detail,
            field=self.field,
            errors=self.errors,
        )


class NotFound(AppError):
    status = 404
    code = "not_found"
    title = "Not found"


class Unauthenticated(AppError):
    status = 401
    code = "unauthenticated"
    title = "A valid API key is required"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(AppError):
    status = 403
    code = "forbidden"
    title = "This key's role may not do that"


class InvalidInput(AppError):
    status = 422
    code = "invalid_input"
    title = "The input is not valid"


class ConflictError(AppError):
    status = 409
    code = "conflict"
    title = "The request conflicts with the current state"


class ConcurrentChange(ConflictError):
    code = "concurrent_change"
    title = "A concurrent request changed the same records; try again"


# Unique and foreign-key violations: what a race between two writers looks like to the database.
_RACE_SQLSTATES = frozenset({"23505", "23503"})
_RACE_SQLITE = frozenset(
    {"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_CONSTRAINT_FOREIGNKEY"}
)


def _is_race(exc: IntegrityError) -> bool:
    orig = exc.orig
    return (
        getattr(orig, "sqlstate", None) in _RACE_SQLSTATES
        or getattr(orig, "sqlite_errorname", None) in _RACE_SQLITE
    )


class PreconditionRequired(AppError):
    status = 428
    code = "precondition_required"
    title = "If-Match is required"


class PreconditionFailed(AppError):
    status = 412
    code = "precondition_failed"
    title = "The record changed since you read it"


class PayloadTooLarge(AppError):
    status = 413
    code = "payload_too_large"
    title = "The request body is too large"


class UntrustedHost(AppError):
    status = 400
    code = "untrusted_host"
    title = "The Host header names a host this service does not serve"


class RequestTimeout(AppError):
    status = 408
    code = "request_timeout"
    title = "The request body did not arrive in time"

    def __init__(self, detail: str) -> None:
        # The rest of the body may still come: the connection cannot serve another request.
        super().__init__(detail, headers={"Connection": "close"})


class RateLimited(AppError):
    status = 429
    code = "rate_limited"
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(1, retry_after))})


class DatabaseUnavailable(AppError):
    status = 503
    code = "database_unavailable"
    title = "The database is not reachable"

    def __init__(self) -> None:
        super().__init__(headers={"Retry-After": "1"})


class Overloaded(AppError):
    status = 503
    code = "overloaded"
    title = "The server is busy"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"Retry-After": "1"})


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> Response:
    body = orjson.dumps(problem.model_dump(exclude_none=True))
    return Response(body, status_code=problem.status, media_type=PROBLEM_TYPE, headers=headers)


PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}


def responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry of a route: each error it may raise, as problem+json."""
    out: dict[int | str, dict[str, Any]] = {}
    # Any route that reads the database may find it unavailable.
    every: tuple[type[AppError], ...] = (*errors, InvalidInput, DatabaseUnavailable)
    for err in every:
        entry = out.setdefault(
            err.status,
            # On problem+json alone, as sent (FastAPI's `model` would put it on JSON).
            {"description": "", "content": {PROBLEM_TYPE: {"schema": PROBLEM_SCHEMA}}},
        )
        titles = [t for t in entry["description"].split("; ") if t]
        if err.title not in titles:
            entry["description"] = "; ".join([*titles, err.title])
    out[DatabaseUnavailable.status]["headers"] = {
        "Retry-After": {
            "description": "seconds to wait before trying again",
            "schema": {"type": "integer"},
        }
    }
    return out


def field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """A pydantic location as the API names fields: `citations[0].url`, `[3].kind`."""
    out = ""
    for part in loc:
        if part in ("body", "query", "path", "header") and not out:
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or (str(loc[0]) if loc else "body")


def _validation_problem(exc: RequestValidationError) -> Problem:
    errors = [
        FieldProblem(
            field="body"
            if e.get("type") == "json_invalid"
            else field_path(tuple(e.get("loc", ()))),
            problem=str(e.get("msg", "")),
        )
        for e in exc.errors()
    ]
    json_invalid = any(e.get("type") == "json_invalid" for e in exc.errors())
    first = errors[0] if errors else None
    return Problem(
        title="The request body is not valid JSON" if json_invalid else "The input is not valid",
        status=422,
        code="malformed_json" if json_invalid else "invalid_input",
        detail=f"{first.field}: {first.problem}" if first else None,
        field=first.field if first else None,
        errors=errors,
    )


_HTTP_CODES = {
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    406: ("not_acceptable", "Not acceptable"),
    413: ("payload_too_large", "The request body is too large"),
    415: ("unsupported_media_type", "Unsupported media type"),
}


HTTP_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette lists only the first route's)."""
    return [
        method
        for method in HTTP_METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL
            for route in request.app.router.routes
        )
    ]


async def database_error(request: Request, exc: Exception) -> Response:
    """The answer to a database error, wherever it was raised (a handler, a middleware)."""
    # Unreachable, gone mid-request, timed out, locked, or no pooled connection free in
    # time: the request may succeed if tried again, so 503 with Retry-After, never a 500.
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeout) or getattr(
        exc, "connection_invalidated", False
    ):
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
        err = DatabaseUnavailable()
        return problem_response(err.problem(), err.headers)
    if isinstance(exc, IntegrityError) and _is_race(exc):
        # The services check before they insert, under a lock where it matters; a
        # constraint that still fires means a race they did not foresee: 409, not 500.
        log.warning("concurrent change on %s %s: %s", request.method, request.url.path, exc)
        return problem_response(ConcurrentChange().problem())
    return await unexpected(request, exc)


async def unexpected(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    problem = Problem(title="Internal error", status=500, code="internal_error")
    return problem_response(problem)


def install_error_handlers(app: FastAPI) -> None:
    """Every error the app can produce leaves as problem+json."""

    async def app_error(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, AppError)
        return problem_response(exc.problem(), exc.headers)

    async def validation_error(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return problem_response(_validation_problem(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        headers = dict(exc.headers or {})
        if exc.status_code == 400:
            # FastAPI's answer to a body it cannot decode: the same problem as invalid JSON.
            problem = Problem(
                title="The request body is not valid JSON",
                status=422,
                code="malformed_json",
                detail=str(exc.detail),
                field="body",
            )
            return problem_response(problem)
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(_allowed_methods(request))
        code, title = _HTTP_CODES.get(exc.status_code, ("http_error", "HTTP error"))
        problem = Problem(title=title, status=exc.status_code, code=code, detail=str(exc.detail))
        return problem_response(problem, headers)

    app.add_exception_handler(AppError, app_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(DBAPIError, database_error)
    app.add_exception_handler(PoolTimeout, database_error)
    app.add_exception_handler(Exception, unexpected)
