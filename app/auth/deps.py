"""The request's principal, and the permission check every route declares."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.auth import service
from app.auth.models import Caller
from app.auth.policy import Permission, allows
from app.core.errors import Forbidden, RateLimited, Unauthenticated
from app.core.observe import note_key
from app.core.ratelimit import RateLimits
from app.core.sessions import SessionDep

# What every route behind a key may answer besides its own errors: list them in `responses=`.
AUTH_ERRORS = (Unauthenticated, Forbidden, RateLimited)

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer ct_...`")


NO_KEY = "send Authorization: Bearer <key>"


def identify(
    session: Session,
    token: str,
    client: str,
    limits: RateLimits | None,
    *,
    note_use: Callable[[Caller], None] = service.note_use,
) -> Caller:
    """The key behind a bearer token, counted against its rate limit. An unknown key is
    Unauthenticated, and counts against its address (RateLimited once the address has failed
    too often); a known key past its own limit is RateLimited, its use noted all the same.
    `note_use`: what records the key's use (by default a short write of its own, when due)."""
    key = service.find_live(session, token)
    if key is None:
        if limits is not None:
            limits.failed(client)  # RateLimited when this address has failed too often
        raise Unauthenticated("the key is unknown, expired or revoked")
    note_use(key)
    note_key(key.id, key.prefix)
    if limits is not None and key.id is not None:
        limits.check_key(key.id)
    return key


def current_key(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    """The key the request authenticates with, counted against its rate limit (once a
    request, however many dependencies ask for it). The key gate (`gate.py`) has usually
    found it already, before the request took a slot or read its body."""
    known: Caller | None = getattr(request.state, "api_key", None)
    if known is not None:
        return known
    if credentials is None:
        raise Unauthenticated(NO_KEY)
    limits: RateLimits | None = getattr(request.app.state, "rate_limits", None)
    client = request.client.host if request.client else ""
    key = identify(session, credentials.credentials, client, limits)
    request.state.api_key = key
    return key


Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def authorize(
    request: Request, session: Session, credentials: Credentials, permission: Permission
) -> Caller:
    """The request's key, if its role may do this; for routes that check it in their own call
    to the thread pool rather than in a dependency of their own (each costs a hop)."""
    key = current_key(request, session, credentials)
    if not allows(key.role, permission):
        raise Forbidden(f"role '{key.role}' may not {permission.value}")
    return key


def require(permission: Permission) -> Callable[..., Awaitable[Caller]]:
    # The key is found and its permission checked in one step. The key gate has found the key
    # before (nothing left that needs the database: no hop to the thread pool); else it is
    # looked up here, in one hop.
    async def check(request: Request, session: SessionDep, credentials: Credentials) -> Caller:
        if getattr(request.state, "api_key", None) is not None:
            return authorize(request, session, credentials, permission)
        return await run_in_threadpool(authorize, request, session, credentials, permission)

    return check


Reader = Annotated[Caller, Depends(require(Permission.READ))]
Writer = Annotated[Caller, Depends(require(Permission.WRITE))]
Admin = Annotated[Caller, Depends(require(Permission.MANAGE_KEYS))]
Reviewer = Annotated[Caller, Depends(require(Permission.REVIEW))]
Subscriber = Annotated[Caller, Depends(require(Permission.MANAGE_WEBHOOKS))]
