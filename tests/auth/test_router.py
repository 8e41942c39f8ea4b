"""API keys: issued once, stored as a hash, revoked at once, admins only."""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlmodel import col, select

from app.auth.models import ApiKey, Role
from tests.conftest import KeyFactory


def test_create_key_shows_secret_once_and_stores_only_hash(
    client: TestClient, admin: dict[str, str], session: Session
) -> None:
    response = client.post("/api/v1/keys", json={"name": "dash", "role": "reader"}, headers=admin)
    assert response.status_code == 201
    body = response.json()
    secret = body["key"]
    assert secret.startswith("ct_") and body["prefix"] == secret[:11]
    row = session.execute(select(ApiKey).where(ApiKey.id == body["id"])).scalar_one()
    assert secret not in (row.key_hash, row.prefix)
    assert len(row.key_hash) == 64
    listed = client.get("/api/v1/keys", headers=admin).json()
    assert all("key" not in k for k in listed)
    assert secret not in client.get("/api/v1/keys", headers=admin).text
    works = client.get("/api/v1/claims", headers={"Authorization": f"Bearer {secret}"})
    assert works.status_code == 200


def test_revoked_key_is_refused_at_once(client: TestClient, admin: dict[str, str]) -> None:
    body = client.post("/api/v1/keys", json={"name": "x", "role": "analyst"}, headers=admin).json()
    headers = {"Authorization": f"Bearer {body['key']}"}
    assert client.get("/api/v1/claims", headers=headers).status_code == 200
    revoked = client.delete(f"/api/v1/keys/{body['id']}", headers=admin)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert client.get("/api/v1/claims", headers=headers).status_code == 401


def test_key_expiring_in_the_past_is_refused(client: TestClient, admin: dict[str, str]) -> None:
    body = {"name": "x", "role": "reader", "expires_at": "2020-01-01T00:00:00Z"}
    response = client.post("/api/v1/keys", json=body, headers=admin)
    assert response.status_code == 422
    assert response.json()["field"] == "expires_at"


def test_expired_key_is_refused(
    client: TestClient, admin: dict[str, str], session: Session
) -> None:
    body = {"name": "x", "role": "reader", "expires_at": "2099-01-01T00:00:00+05:00"}
    created = client.post("/api/v1/keys", json=body, headers=admin).json()
    assert created["expires_at"] == "2098-12-31T19:00:00Z"
    headers = {"Authorization": f"Bearer {created['key']}"}
    assert client.get("/api/v1/claims", headers=headers).status_code == 200
    session.execute(
        update(ApiKey)
        .where(col(ApiKey.id) == created["id"])
        .values(expires_at=datetime(2020, 1, 1, tzinfo=UTC))
    )
    session.commit()
    assert client.get("/api/v1/claims", headers=headers).status_code == 401


def test_tampered_key_is_refused(client: TestClient, admin: dict[str, str]) -> None:
    secret = client.post(
        "/api/v1/keys", json={"name": "x", "role": "reader"}, headers=admin
    ).json()["key"]
    tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert (
        client.get("/api/v1/claims", headers={"Authorization": f"Bearer {tampered}"}).status_code
        == 401
    )


@pytest.mark.parametrize("role", [Role.READER, Role.ANALYST, Role.REVIEWER])
def test_keys_are_admin_only(client: TestClient, auth: KeyFactory, role: Role) -> None:
    headers = auth(role)
    assert client.get("/api/v1/keys", headers=headers).status_code == 403
    assert (
        client.post(
            "/api/v1/keys", json={"name": "x", "role": "admin"}, headers=headers
        ).status_code
        == 403
    )
    assert client.delete("/api/v1/keys/1", headers=headers).status_code == 403


def test_revoke_missing_key_is_404(client: TestClient, admin: dict[str, str]) -> None:
    response = client.delete("/api/v1/keys/99999", headers=admin)
    assert response.status_code == 404
    assert response.json()["code"] == "api_key_not_found"


def test_request_without_key_is_401(client: TestClient) -> None:
    response = client.get("/api/v1/keys")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_the_last_live_admin_key_cannot_be_revoked(
    client: TestClient, admin: dict[str, str], session: Session
) -> None:
    admins = session.execute(
        select(ApiKey.id).where(col(ApiKey.role) == Role.ADMIN, col(ApiKey.revoked_at).is_(None))
    ).all()
    assert len(admins) == 1
    (own,) = admins[0]
    refused = client.delete(f"/api/v1/keys/{own}", headers=admin)
    assert refused.status_code == 409
    assert refused.json()["code"] == "last_admin_key"
    assert client.get("/api/v1/keys", headers=admin).status_code == 200  # still works
    second = client.post("/api/v1/keys", json={"name": "a2", "role": "admin"}, headers=admin)
    other = {"Authorization": f"Bearer {second.json()['key']}"}
    # An expired admin key does not count as the other admin.
    session.execute(
        update(ApiKey)
        .where(col(ApiKey.id) == second.json()["id"])
        .values(expires_at=datetime(2020, 1, 1, tzinfo=UTC))
    )
    session.flush()
    assert client.delete(f"/api/v1/keys/{own}", headers=admin).status_code == 409
    session.execute(
        update(ApiKey).where(col(ApiKey.id) == second.json()["id"]).values(expires_at=None)
    )
    session.flush()
    revoked = client.delete(f"/api/v1/keys/{own}", headers=admin)
    assert revoked.status_code == 200
    assert client.get("/api/v1/keys", headers=other).status_code == 200
    assert client.delete(f"/api/v1/keys/{second.json()['id']}", headers=other).status_code == 409
