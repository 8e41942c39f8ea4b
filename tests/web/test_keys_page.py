"""The keys page: an admin's alone; a key issued with its secret shown once, a key revoked;
a reader's pages carry no form that writes."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from app.auth.models import ApiKey, Role
from tests.web.conftest import WebKeyFactory, csrf_of, forms_of, sign_in


def _key_count(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(ApiKey)).scalar_one())


def test_keys_page_without_session_redirects_to_signin(client: TestClient) -> None:
    response = client.get("/keys", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"


@pytest.mark.parametrize("role", [Role.READER, Role.ANALYST, Role.REVIEWER])
def test_keys_page_for_non_admin_is_403(
    client: TestClient, web_key: WebKeyFactory, role: Role
) -> None:
    _, secret = web_key(role)
    sign_in(client, secret)
    response = client.get("/keys")
    assert response.status_code == 403
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "this page is for keys that may manage_keys" in response.text
    assert forms_of(response) == []


def test_keys_page_for_admin_lists_keys(client: TestClient, web_key: WebKeyFactory) -> None:
    reader_id, _ = web_key(Role.READER)
    admin_id, secret = web_key(Role.ADMIN)
    sign_in(client, secret)
    response = client.get("/keys")
    assert response.status_code == 200
    assert response.text.count("<tr>") == 3  # the head and two keys
    assert "web reader" in response.text
    assert forms_of(response) == [
        "/signout",
        "/keys",
        f"/keys/{reader_id}/revoke",
        f"/keys/{admin_id}/revoke",
    ]


def test_reader_home_has_no_form_that_writes(client: TestClient, web_key: WebKeyFactory) -> None:
    _, secret = web_key(Role.READER)
    sign_in(client, secret)
    home = client.get("/")
    assert forms_of(home) == ["/signout"]
    assert 'href="/keys"' not in home.text


def test_admin_home_links_to_keys(client: TestClient, web_key: WebKeyFactory) -> None:
    _, secret = web_key(Role.ADMIN)
    sign_in(client, secret)
    assert 'href="/keys"' in client.get("/").text


def test_create_key_shows_secret_once(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    admin_id, secret = web_key(Role.ADMIN)
    sign_in(client, secret)
    csrf = csrf_of(client.get("/keys"))
    response = client.post("/keys", data={"csrf": csrf, "name": "dashboard", "role": "reader"})
    assert response.status_code == 201
    assert response.headers["cache-control"] == "no-store"
    row = session.execute(select(ApiKey).where(col(ApiKey.name) == "dashboard")).scalar_one()
    assert (row.role, row.created_by_id) == (Role.READER, admin_id)
    start = response.text.index('id="secret">') + len('id="secret">')
    new_secret = response.text[start : response.text.index("</code>", start)]
    assert new_secret.startswith(row.prefix + "_")
    api = client.get("/api/v1/claims", headers={"Authorization": f"Bearer {new_secret}"})
    assert api.status_code == 200
    assert new_secret not in client.get("/keys").text


def test_create_key_without_name_is_422_and_creates_nothing(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.ADMIN)
    sign_in(client, secret)
    csrf = csrf_of(client.get("/keys"))
    response = client.post("/keys", data={"csrf": csrf, "name": " ", "role": "reader"})
    assert response.status_code == 422
    assert "Check: name." in response.text
    assert _key_count(session) == 1


def test_create_key_without_csrf_is_403_and_creates_nothing(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.ADMIN)
    sign_in(client, secret)
    response = client.post("/keys", data={"name": "sneaky", "role": "admin"})
    assert response.status_code == 403
    assert "This form cannot be accepted" in response.text
    assert _key_count(session) == 1


def test_create_key_by_analyst_is_403_and_creates_nothing(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.ANALYST)
    sign_in(client, secret)
    csrf = csrf_of(client.get("/"))
    response = client.post("/keys", data={"csrf": csrf, "name": "mine", "role": "admin"})
    assert response.status_code == 403
    assert _key_count(session) == 1


def test_revoke_key_from_page(client: TestClient, session: Session, web_key: WebKeyFactory) -> None:
    reader_id, _ = web_key(Role.READER)
    admin_id, secret = web_key(Role.ADMIN)
    sign_in(client, secret)
    csrf = csrf_of(client.get("/keys"))
    response = client.post(f"/keys/{reader_id}/revoke", data={"csrf": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/keys"
    session.expire_all()
    assert session.get(ApiKey, reader_id).revoked_at is not None  # type: ignore[union-attr]
    assert forms_of(client.get("/keys")) == ["/signout", "/keys", f"/keys/{admin_id}/revoke"]


def test_revoke_last_admin_key_is_409_page(client: TestClient, web_key: WebKeyFactory) -> None:
    admin_id, secret = web_key(Role.ADMIN)
    sign_in(client, secret)
    csrf = csrf_of(client.get("/keys"))
    response = client.post(f"/keys/{admin_id}/revoke", data={"csrf": csrf})
    assert response.status_code == 409
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "is the last live admin key" in response.text
    assert client.get("/keys").status_code == 200
