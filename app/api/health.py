"""/healthz and /readyz: is the process up, can it reach its database."""

import anyio
from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.core.db import get_engine
from app.core.errors import DatabaseUnavailable, responses

router = APIRouter(tags=["health"])

# /readyz answers within a second whatever the database does: a probe that waits longer than
# its caller's timeout tells the caller nothing.
READY_WITHIN_S = 0.9


class Health(BaseModel):
    status: str


@router.get("/healthz", operation_id="healthz")
async def healthz() -> Health:
    """The process is up (it does not touch the database)."""
    return Health(status="ok")


@router.get("/readyz", operation_id="readyz", responses=responses(DatabaseUnavailable))
async def readyz() -> Health:
    """The database answers within 0.9 s; 503 when it does not."""
    try:
        with anyio.fail_after(READY_WITHIN_S):
            # A check that takes too long is left to end by itself, within the database
            # bounds (`app.core.db`), in its thread.
            await anyio.to_thread.run_sync(_select_one, abandon_on_cancel=True)
    except (DBAPIError, TimeoutError) as exc:
        raise DatabaseUnavailable from exc
    return Health(status="ready")


def _select_one() -> None:
    with get_engine().connect() as conn:
        conn.execute(text("SELECT 1"))
