"""/api/v1/keys: admins issue, list and revoke API keys."""

from fastapi import APIRouter, status

from app.auth import service
from app.auth.deps import Admin
from app.auth.errors import ApiKeyNotFound
from app.auth.models import ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from app.core.db import SessionDep
from app.core.errors import Forbidden, Unauthenticated, responses
from app.core.links import by_id, success
from app.core.models import as_utc
from app.core.params import PathId

router = APIRouter(prefix="/api/v1/keys", tags=["keys"])
AUTH_ERRORS = (Unauthenticated, Forbidden)


def public(row: ApiKey) -> ApiKeyPublic:
    assert row.id is not None
    return ApiKeyPublic(
        id=row.id,
        name=row.name,
        role=row.role,
        prefix=row.prefix,
        created_at=as_utc(row.created_at) or row.created_at,
        expires_at=as_utc(row.expires_at),
        revoked_at=as_utc(row.revoked_at),
        last_used_at=as_utc(row.last_used_at),
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    operation_id="keys_create",
    responses={
        **responses(*AUTH_ERRORS),
        **success(201, {"RevokeKey": by_id("keys_revoke", "key_id", "Revoke the new key.")}),
    },
)
def create_key(data: ApiKeyCreate, session: SessionDep, admin: Admin) -> ApiKeyCreated:
    """Issue a key; its secret is in this response and nowhere else, ever."""
    row, text = service.create(session, data, created_by_id=admin.id)
    return ApiKeyCreated(**public(row).model_dump(), key=text)


@router.get("", operation_id="keys_list", responses=responses(*AUTH_ERRORS))
def list_keys(session: SessionDep, _: Admin) -> list[ApiKeyPublic]:
    """List every key (without secrets)."""
    return [public(row) for row in service.get_all(session)]


@router.delete(
    "/{key_id}", operation_id="keys_revoke", responses=responses(*AUTH_ERRORS, ApiKeyNotFound)
)
def revoke_key(key_id: PathId, session: SessionDep, admin: Admin) -> ApiKeyPublic:
    """Revoke a key; it fails authentication from the next request on."""
    return public(service.revoke(session, key_id, actor_id=admin.id))
