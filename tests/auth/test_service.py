"""The bootstrap admin key."""

import re

import pytest
from sqlalchemy.orm import Session

from app.auth import service
from app.auth.models import ApiKeyCreate, Role


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
    assert re.fullmatch(r"cb_[0-9a-f]{8}", row.prefix), row.prefix
    assert service.authenticate(session, "deploy-chosen-secret-valuE") is None


def test_chosen_key_prefix_is_random_not_derived_from_its_hash(session: Session) -> None:
    # The prefix (listed by GET /keys, logged with every request) was "h_" + 64 bits of the
    # key's HMAC; now it tells nothing about the key.
    key = "deploy-chosen-secret-value"
    row, _ = service.create(
        session, ApiKeyCreate(name="chosen", role=Role.ADMIN), created_by_id=None, key=key
    )
    assert row.prefix.removeprefix("cb_") not in service.hash_key(key)
    assert re.fullmatch(r"cb_[0-9a-f]{8}", row.prefix), row.prefix
    caller = service.authenticate(session, key)
    assert caller is not None and caller.id == row.id


def test_short_bootstrap_key_is_refused(session: Session) -> None:
    with pytest.raises(ValueError, match="16 to 512 characters"):
        service.ensure_admin(session, key="short")
