"""The request's principal, and the permission check every route declares."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth import service
from app.auth.models import ApiKey
from app.auth.policy import Permission, allows
from app.core.db import SessionDep
from app.core.errors import Forbidden, Unauthenticated

bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer ct_...`")


def current_key(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> ApiKey:
    if credentials is None:
        raise Unauthenticated("send Authorization: Bearer <key>")
    key = service.authenticate(session, credentials.credentials)
    if key is None:
        raise Unauthenticated("the key is unknown, expired or revoked")
    return key


def require(permission: Permission) -> Callable[..., ApiKey]:
    # The key is found and its permission checked in one step: each sync dependency costs a
    # hop to the thread pool.
    def check(
        session: SessionDep,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> ApiKey:
        key = current_key(session, credentials)
        if not allows(key.role, permission):
            raise Forbidden(f"role '{key.role}' may not {permission.value}")
        return key

    return check


Reader = Annotated[ApiKey, Depends(require(Permission.READ))]
Writer = Annotated[ApiKey, Depends(require(Permission.WRITE))]
Admin = Annotated[ApiKey, Depends(require(Permission.MANAGE_KEYS))]
Reviewer = Annotated[ApiKey, Depends(require(Permission.REVIEW))]
