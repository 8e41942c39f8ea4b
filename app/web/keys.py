"""`/keys`: an admin lists, issues (the secret shown once, on the answer to the form) and
revokes API keys, through the same flows as `/api/v1/keys`."""

from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.responses import Response

from app.auth import service
from app.auth.models import ApiKeyCreate, Role
from app.auth.policy import Permission
from app.core.errors import InvalidInput
from app.core.params import PathId
from app.core.sessions import SessionDep
from app.flows import keys
from app.web.render import PageRoute, page, redirect
from app.web.sessions import SignedInPage, require, require_post

router = APIRouter(prefix="/keys", route_class=PageRoute, include_in_schema=False)

AdminPage = Annotated[SignedInPage, Depends(require(Permission.MANAGE_KEYS))]
AdminPost = Annotated[SignedInPage, Depends(require_post(Permission.MANAGE_KEYS))]


def _keys_page(
    request: Request,
    session: Session,
    me: SignedInPage,
    *,
    status: int = 200,
    **context: Any,
) -> Response:
    context = {
        "me": me,
        "can_manage_keys": True,
        "keys": service.get_all(session),
        "roles": list(Role),
        **context,
    }
    return page(request, "keys.html", context, status=status)


@router.get("")
def list_keys(request: Request, session: SessionDep, me: AdminPage) -> Response:
    """Every key (never a secret), a form to issue one, a button to revoke each live one."""
    return _keys_page(request, session, me)


def _expiry(expires_on: str) -> datetime | None:
    """A key given an expiry date works until the start of that day (UTC)."""
    if not expires_on:
        return None
    try:
        return datetime.combine(date.fromisoformat(expires_on), time(), tzinfo=UTC)
    except ValueError as exc:
        raise InvalidInput("give the expiry date as YYYY-MM-DD", field="expires_on") from exc


@router.post("")
def create_key(
    request: Request,
    session: SessionDep,
    me: AdminPost,
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "",
    expires_on: Annotated[str, Form()] = "",
) -> Response:
    """Issue a key: its secret is on this answer and nowhere else."""
    try:
        data = ApiKeyCreate(name=name.strip(), role=role, expires_at=_expiry(expires_on))
        row, secret = keys.create(session, data, created_by_id=me.key.id)
    except ValidationError as exc:
        fields = ", ".join(str(e["loc"][-1]) for e in exc.errors())
        return _keys_page(request, session, me, status=422, error=f"Check: {fields}.")
    except InvalidInput as exc:
        return _keys_page(request, session, me, status=422, error=exc.detail)
    return _keys_page(request, session, me, status=201, created=row, secret=secret)


@router.post("/{key_id}/revoke")
def revoke_key(key_id: PathId, session: SessionDep, me: AdminPost) -> Response:
    """Revoke a key: it fails from the next request on, and so do the sessions it signed in."""
    keys.revoke(session, key_id, actor_id=me.key.id)
    return redirect("/keys")
