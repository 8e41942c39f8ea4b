"""/healthz and /readyz: is the process up, can it reach its database."""

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.core.db import get_engine
from app.core.errors import DatabaseUnavailable, responses

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/healthz", operation_id="healthz")
async def healthz() -> Health:
    """The process is up (it does not touch the database)."""
    return Health(status="ok")


@router.get("/readyz", operation_id="readyz", responses=responses(DatabaseUnavailable))
def readyz() -> Health:
    """The database answers; 503 when it does not."""
    try:
        with get_engine().connect() as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError as exc:
        raise DatabaseUnavailable from exc
    return Health(status="ready")
