"""The key gate: a request to a route that needs a key is authenticated from its headers
before anything else is spent on it, before it takes an in-flight slot and before its body
is read. A client that sends headers and then stalls holds a slot only if its key is good
(and then for at most the body deadline): without one it is answered 401 at once.

The key found goes on the request's state, where `current_key` takes it from; a route the
gate does not know checks the key in its dependency, as before. On SQLite with the rate limits
counted in the process, the key is found on the event loop (`_local`); else in the thread pool."""

import re
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import datetime

from fastapi.routing import APIRoute
from fastapi.security.utils import get_authorization_scheme_param
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State
from starlette.requests import Request
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from app.auth.deps import NO_KEY, bearer, identify
from app.auth.models import Caller
from app.auth.service import record_use, use_due
from app.core.db import get_read_engine, get_side_engine
from app.core.errors import AppError, Unauthenticated, database_error, problem_response
from app.core.ratelimit import RateLimits

Sessions = Callable[[], AbstractContextManager[Session]]


def _needs_key(dependencies: Iterable[object]) -> bool:
    return any(
        getattr(d, "call", None) is bearer or _needs_key(getattr(d, "dependencies", ()))
        for d in dependencies
    )


def keyed_paths(routes: Iterable[BaseRoute]) -> dict[str, re.Pattern[str]]:
    """By method, one pattern that matches the paths of the routes that take a key."""
    patterns: dict[str, list[str]] = {}
    for route in routes:
        if isinstance(route, APIRoute) and _needs_key(route.dependant.dependencies):
            # The route's own pattern (anchored), its named groups unnamed: they repeat.
            pattern = re.sub(r"\(\?P<\w+>", "(?:", route.path_regex.pattern)
            for method in route.methods or ():
                patterns.setdefault(method, []).append(pattern)
    return {method: re.compile("|".join(found)) for method, found in patterns.items()}


def _bearer_token(scope: Scope) -> str | None:
    """The token of `Authorization: Bearer <token>`, read as HTTPBearer reads it."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, token = get_authorization_scheme_param(value.decode("latin-1"))
            return token if scheme.lower() == "bearer" and token else None
    return None


def _read_session() -> Session:
    return Session(get_read_engine(), expire_on_commit=False)


def _local(limits: RateLimits | None) -> bool:
    """Whether finding a key costs no wait: the database is a SQLite file (a read of one
    indexed row, which a writer never blocks in WAL mode) and the rate limits are counted in
    this process (no Redis round trip)."""
    return (limits is None or limits.in_process) and get_read_engine().dialect.name == "sqlite"


async def _look_up_here(
    sessions: Sessions, token: str, client: str, limits: RateLimits | None
) -> Caller:
    """The key found on the event loop, without a hop to the thread pool and back (a hop cost
    more than the lookup). Recording its use is a write, which may wait for SQLite's lock: that
    goes to the thread pool, when it is due (once a minute a key)."""
    due: list[tuple[int, datetime]] = []

    def later(row: Caller) -> None:
        if (now := use_due(row)) is not None:
            due.append((row.id or 0, now))

    try:
        with sessions() as session:
            return identify(session, token, client, limits, note_use=later)
    finally:  # a key refused for its rate was used all the same
        for key_id, now in due:
            await run_in_threadpool(record_use, get_side_engine(), key_id, now)


class KeyGate:
    """Runs outside the in-flight limit: see the module's docstring. `app.state.key_sessions`
    (tests set it) gives the session the key is looked up in; by default a read session."""

    def __init__(self, app: ASGIApp, routes: Iterable[BaseRoute]) -> None:
        self.app = app
        self.keyed = keyed_paths(routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        pattern = self.keyed.get(scope.get("method", ""))
        if scope["type"] != "http" or pattern is None or not pattern.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        state: State = scope["app"].state
        limits: RateLimits | None = getattr(state, "rate_limits", None)
        sessions: Sessions = getattr(state, "key_sessions", _read_session)
        client = scope["client"][0] if scope.get("client") else ""
        token = _bearer_token(scope)

        def look_up() -> Caller:
            assert token is not None
            with sessions() as session:
                return identify(session, token, client, limits)

        try:
            if token is None:  # nothing to look up: no hop to the thread pool
                raise Unauthenticated(NO_KEY)
            if _local(limits):
                key = await _look_up_here(sessions, token, client, limits)
            else:
                key = await run_in_threadpool(look_up)
        except AppError as error:
            await problem_response(error.problem(), error.headers)(scope, receive, send)
            return
        except (DBAPIError, PoolTimeout) as error:
            await (await database_error(Request(scope), error))(scope, receive, send)
            return
        scope.setdefault("state", {})["api_key"] = key
        await self.app(scope, receive, send)
