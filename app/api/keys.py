"""/api/v1/keys: admins issue, list and revoke API keys."""

from typing import Annotated

from fastapi import APIRouter, Depends, status

from app.auth import service
from app.auth.deps import AUTH_ERRORS, Admin
from app.auth.errors import ApiKeyNotFound, LastAdminKey
from app.auth.models import ApiKey, ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from app.core.errors import responses
from app.core.links import by_id, success
from app.core.models import as_utc
from app.core.params import PathId
from app.core.sessions import SessionDep
from app.flows import keys
from app.idempotency.deps import refuse_key
from app.idempotency.errors import IdempotencyKeyNotAccepted

router = APIRouter(prefix="/api/v1/keys", tags=["keys"])

# A new key's secret is in its create response only: keeping that response to replay it would
# keep the secret, so the route takes no Idempotency-Key rather than let a client think it safe.
NOT_REPLAYABLE = (
    "POST /keys cannot be replayed: its secret is shown once and kept nowhere; "
    "on a lost response list keys and revoke the unused one"
)
NoIdempotencyKey = Annotated[None, Depends(refuse_key(NOT_REPLAYABLE))]


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
        **responses(*AUTH_ERRORS, IdempotencyKeyNotAccepted),
        **success(201, {"RevokeKey": by_id("keys_revoke", "key_id", "Revoke the new key.")}),
    },
)
def create_key(
    data: ApiKeyCreate, session: SessionDep, admin: Admin, _: NoIdempotencyKey
) -> ApiKeyCreated:
    """Issue a key; its secret is in this response and nowhere else, ever.

    Not idempotent: a request with an `Idempotency-Key` header is refused (422
    `idempotency_key_not_accepted`), since replaying the response would mean keeping the secret.
    If the response is lost, list the keys and revoke the one you did not receive.
    """
    row, text = keys.create(session, data, created_by_id=admin.id)
    return ApiKeyCreated(**public(row).model_dump(), key=text)


@router.get("", operation_id="keys_list", responses=responses(*AUTH_ERRORS))
def list_keys(session: SessionDep, _: Admin) -> list[ApiKeyPublic]:
    """List every key (without secrets)."""
    return [public(row) for row in service.get_all(session)]


@router.delete(
    "/{key_id}",
    operation_id="keys_revoke",
    responses=responses(*AUTH_ERRORS, ApiKeyNotFound, LastAdminKey),
)
def revoke_key(key_id: PathId, session: SessionDep, admin: Admin) -> ApiKeyPublic:
    """Revoke a key; it fails authentication from the next request on."""
    return public(keys.revoke(session, key_id, actor_id=admin.id))
