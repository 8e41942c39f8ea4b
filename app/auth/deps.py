"""The request's principal, and the permission check every route declares."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.auth import service
from app.auth.models import Caller
from app.auth.policy import Permission, allows
from app.core.db import SessionDep
from app.core.errors import Forbidden, RateLimited, Unauthenticated
from app.core.observe import note_key
from app.core.ratelimit import RateLimits

# What every route behind a key may answer besides its own errors: list them in `responses=`.
AUTH_ERRORS = (Unauthenticated, Forbidden, RateLimited)

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer ct_...`")


def current_key(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Caller:
    """The key the request authenticates with, counted against its rate limit (once a
    request, however many dependencies ask for it)."""
    known: Caller | None = getattr(request.state, "api_key", None)
    if known is not None:
        return known
    if credentials is None:
        raise Unauthenticated("send Authorization: Bearer <key>")
    limits: RateLimits | None = getattr(request.app.state, "rate_limits", None)
    client = request.client.host if request.client else ""
    key = service.authenticate(session, credentials.credentials)
    if key is None:
        if limits is not None:
            limits.failed(client)  # RateLimited when this address has failed too often
        raise Unauthenticated("the key is unknown, expired or revoked")
    note_key(key.id, key.prefix)
    if limits is not None and key.id is not None:
        limits.check_key(key.id)
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


def require(permission: Permission) -> Callable[..., Caller]:
    # The key is found and its permission checked in one step: each sync dependency costs a
    # hop to the thread pool.
    def check(request: Request, session: SessionDep, credentials: Credentials) -> Caller:
        return authorize(request, session, credentials, permission)

    return check


Reader = Annotated[Caller, Depends(require(Permission.READ))]
Writer = Annotated[Caller, Depends(require(Permission.WRITE))]
Admin = Annotated[Caller, Depends(require(Permission.MANAGE_KEYS))]
Reviewer = Annotated[Caller, Depends(require(Permission.REVIEW))]
