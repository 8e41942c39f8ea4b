"""The bootstrap admin key."""

import pytest
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


def test_ensure_admin_accepts_any_long_bootstrap_text(session: Session) -> None:
    key = "deploy-chosen-secret-value"
    assert service.ensure_admin(session, key=key) == key
    row = service.authenticate(session, key)
    assert row is not None
    assert row.prefix.startswith("h_")
    assert service.authenticate(session, "deploy-chosen-secret-valuE") is None


def test_short_bootstrap_key_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="16 to 512 characters"):
        service.ensure_admin(session, key="short")
