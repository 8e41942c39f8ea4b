"""The bootstrap admin key."""

from sqlalchemy.orm import Session

from app.auth import service
from app.auth.models import Role


def test_ensure_admin_uses_bootstrap_key_once(session: Session) -> None:
    key = "ct_boot0001_" + "s" * 32
    assert service.ensure_admin(session, key=key) == key
    row = service.authenticate(session, key)
    assert row is not None and row.role == Role.ADMIN
    assert service.ensure_admin(session, key="ct_boot0002_" + "t" * 32) is None
    assert service.authenticate(session, "ct_boot0002_" + "t" * 32) is None


def test_ensure_admin_generates_key_when_none_given(session: Session) -> None:
    text = service.ensure_admin(session, key=None)
    assert text is not None and text.startswith("ct_")
    assert service.authenticate(session, text) is not None
