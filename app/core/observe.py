"""Every request's id, its access-log line and its metrics, in one pure ASGI middleware.

It wraps the whole app, outside Starlette's ServerErrorMiddleware, so that the 500 that one
renders carries the `X-Request-ID` header too.
"""

import logging
import os
import re
import time
from contextvars import ContextVar
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.metrics import UNMATCHED, HttpMetrics

HEADER = b"x-request-id"
_SANE_ID = re.compile(rb"[A-Za-z0-9._-]{1,128}")
CLIENT_CLOSED = 499  # nginx's status for a request the client gave up on
PROBES = frozenset({"/healthz", "/readyz"})
_METHODS = frozenset({"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"})

access_log = logging.getLogger("claimtrack.access")


@dataclass(slots=True)
class RequestInfo:
    """What the logs say about the request being served: its id and, once known, its key."""

    id: str
    key_id: int | None = None
    key_prefix: str | None = None


# One mutable record per request: a sync dependency runs in a worker thread on a copy of the
# context, and writes the key it authenticated into the same record the middleware reads.
_current: ContextVar[RequestInfo | None] = ContextVar("claimtrack_request", default=None)


def current_request() -> RequestInfo | None:
    return _current.get()


def note_key(key_id: int | None, prefix: str) -> None:
    """Record the authenticated key (its id and public prefix, never its text) for the logs."""
    info = _current.get()
    if info is not None:
        info.key_id = key_id
        info.key_prefix = prefix


def _request_id(scope: Scope) -> bytes:
    for name, value in scope["headers"]:
        if name == HEADER:
            if _SANE_ID.fullmatch(value):
                return bytes(value)
            break
    return os.urandom(16).hex().encode()


def _route(scope: Scope) -> str | None:
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return path if isinstance(path, str) else None


class ObserveMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: HttpMetrics | None,
        log_requests: bool = True,
        fixed: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.log_requests = log_requests
        self.fixed = fixed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = _request_id(scope)
        info = RequestInfo(rid.decode("ascii"))
        token = _current.set(info)
        status = 0
        done = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, done
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (HEADER, rid)]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                done = True
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # ServerErrorMiddleware re-raises after sending its 500 "so that the server can
            # log it"; the app's handler has logged it already, with the request id. Only an
            # unfinished response goes on to the server, which then drops the connection.
            if not done:
                status = status or 500
                raise
        except BaseException:
            status = status or CLIENT_CLOSED  # cancelled: the client left before an answer
            raise
        finally:
            self._record(scope, info, status or 500, time.perf_counter() - started)
            _current.reset(token)

    def _record(self, scope: Scope, info: RequestInfo, status: int, seconds: float) -> None:
        route = _route(scope)
        if route is None and scope["path"] in self.fixed:
            route = scope["path"]
        method = scope["method"]
        if self.metrics is not None:
            self.metrics.observe(
                method if method in _METHODS else "other", route or UNMATCHED, status, seconds
            )
        # Probes of a load balancer or orchestrator would drown the log: they are counted in
        # the metrics and not logged (unless they fail).
        probe = scope["path"] in PROBES and status < 400
        if self.log_requests and not probe and access_log.isEnabledFor(logging.INFO):
            # makeRecord + handle is logger.info without its stack walk for the caller,
            # which no access line needs: a third of the line's cost.
            record = access_log.makeRecord(
                access_log.name,
                logging.INFO,
                __file__,
                0,
                "%s %s %d %.1fms",
                (method, scope["path"], status, seconds * 1000),
                None,
            )
            record.fields = {
                "method": method,
                "path": scope["path"],
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 3),
                "key_id": info.key_id,
                "key_prefix": info.key_prefix,
            }
            access_log.handle(record)
