"""API keys issued and revoked; audited."""

from sqlalchemy.orm import Session

from app.auth import service as keys
from app.auth.models import ApiKey, ApiKeyCreate
from app.flows import notify
from app.webhooks import outbox


def create(
    session: Session, data: ApiKeyCreate, *, created_by_id: int | None
) -> tuple[ApiKey, str]:
    """Issue a key: the row, and its text (shown once)."""
    row, text = keys.create(session, data, created_by_id=created_by_id)
    notify.write_pending(session)
    return row, text


def ensure_admin(session: Session, *, key: str | None) -> str | None:
    """On first start, an admin key (the bootstrap one if given); its text, or None."""
    text = keys.ensure_admin(session, key=key)
    notify.write_pending(session)
    return text


def revoke(session: Session, key_id: int, *, actor_id: int | None) -> ApiKey:
    """Revoke a key."""
    row = keys.revoke(session, key_id, actor_id=actor_id)
    outbox.forget()  # its webhook subscriptions get no more events
    notify.write_pending(session)
    return row
