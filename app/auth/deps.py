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
from app.core.observe import note_key

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
    note_key(key.id, key.prefix)
    return key


def require(permission: Permission) -> Callable[[ApiKey], ApiKey]:
    def check(key: Annotated[ApiKey, Depends(current_key)]) -> ApiKey:
        if not allows(key.role, permission):
            raise Forbidden(f"role '{key.role}' may not {permission.value}")
        return key

    return check


Reader = Annotated[ApiKey, Depends(require(Permission.READ))]
Writer = Annotated[ApiKey, Depends(require(Permission.WRITE))]
Admin = Annotated[ApiKey, Depends(require(Permission.MANAGE_KEYS))]
Reviewer = Annotated[ApiKey, Depends(require(Permission.REVIEW))]
