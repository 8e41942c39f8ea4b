"""Signing in with a key into a server-side session: the cookie, the stored hash, expiry, a
revoked key, signing out, CSRF on every form, and the failed-key limit."""

import hashlib
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from app.auth.models import Role, WebSession
from app.core.models import utcnow
from tests.conftest import ClientFactory
from tests.web.conftest import WebKeyFactory, csrf_of, sign_in

WEEK = 7 * 86400


def _sessions(session: Session) -> list[WebSession]:
    session.expire_all()
    return list(session.execute(select(WebSession).order_by(col(WebSession.id))).scalars())


def test_get_home_without_session_redirects_to_signin(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"


def test_sign_in_with_good_key_opens_home(client: TestClient, web_key: WebKeyFactory) -> None:
    _, secret = web_key(Role.ANALYST)
    response = sign_in(client, secret)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "web analyst" in home.text
    assert "(analyst)" in home.text


def test_sign_in_with_bad_key_is_refused(client: TestClient, session: Session) -> None:
    response = sign_in(client, "ct_00000000_" + "x" * 43)
    assert response.status_code == 401
    assert "That key is unknown, expired or revoked." in response.text
    assert "claimtrack_session" not in client.cookies
    assert _sessions(session) == []


def test_sign_in_sets_cookie_httponly_samesite_without_secure_on_http(
    client: TestClient, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.READER)
    cookie = sign_in(client, secret).headers.get_list("set-cookie")
    (session_cookie,) = [c for c in cookie if c.startswith("claimtrack_session=")]
    flags = {part.strip().lower() for part in session_cookie.split(";")[1:]}
    assert flags == {"httponly", f"max-age={WEEK}", "path=/", "samesite=lax"}


def test_sign_in_over_https_sets_secure_cookie(client: TestClient, web_key: WebKeyFactory) -> None:
    _, secret = web_key(Role.READER)
    response = sign_in(client, secret, base="https://testserver")
    (session_cookie,) = [
        c for c in response.headers.get_list("set-cookie") if c.startswith("claimtrack_session=")
    ]
    assert "; secure" in session_cookie.lower()
    assert client.get("https://testserver/").status_code == 200


def test_signin_form_behind_https_public_url_sets_secure_cookie(
    make_client: ClientFactory,
) -> None:
    """Behind a TLS proxy the app may see http; an https public URL says what the browser saw."""
    client = make_client(public_url="https://claims.example.org")
    form = client.get("/signin")
    assert "; secure" in form.headers["set-cookie"].lower()


def test_sign_in_stores_only_hash_of_session_id(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    key_id, secret = web_key(Role.READER)
    sign_in(client, secret)
    token = client.cookies["claimtrack_session"]
    (row,) = _sessions(session)
    assert row.key_id == key_id
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {row.token_hash, str(row.id)}
    assert len(token) == 43  # secrets.token_urlsafe(32)
    assert row.expires_at - row.created_at == timedelta(days=7)


def test_session_idle_too_long_ends(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.READER)
    sign_in(client, secret)
    assert client.get("/", follow_redirects=False).status_code == 200
    session.execute(
        update(WebSession).values(last_seen_at=utcnow() - timedelta(hours=12, seconds=1))
    )
    session.commit()
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"


def test_session_past_its_end_ends(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.READER)
    sign_in(client, secret)
    session.execute(update(WebSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    assert client.get("/", follow_redirects=False).status_code == 303


def test_revoked_key_ends_its_session_at_once(
    client: TestClient, web_key: WebKeyFactory, admin: dict[str, str]
) -> None:
    key_id, secret = web_key(Role.ANALYST)
    sign_in(client, secret)
    assert client.get("/", follow_redirects=False).status_code == 200
    assert client.delete(f"/api/v1/keys/{key_id}", headers=admin).status_code == 200
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"


def test_sign_out_deletes_session(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.READER)
    sign_in(client, secret)
    token = client.cookies["claimtrack_session"]
    csrf = csrf_of(client.get("/"))
    response = client.post("/signout", data={"csrf": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/signin"
    assert _sessions(session) == []
    assert "claimtrack_session" not in client.cookies
    client.cookies.set("claimtrack_session", token)  # the old id, kept by someone: dead
    assert client.get("/", follow_redirects=False).status_code == 303


def test_sign_out_without_csrf_token_is_refused(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.READER)
    sign_in(client, secret)
    response = client.post("/signout", data={}, follow_redirects=False)
    assert response.status_code == 403
    assert "This form cannot be accepted" in response.text
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert len(_sessions(session)) == 1


def test_csrf_token_of_another_session_is_refused(
    client: TestClient, make_client: ClientFactory, session: Session, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.READER)
    other = make_client()
    sign_in(other, secret)
    foreign = csrf_of(other.get("/"))
    sign_in(client, secret)
    response = client.post("/signout", data={"csrf": foreign}, follow_redirects=False)
    assert response.status_code == 403
    assert len(_sessions(session)) == 2


def test_sign_in_without_form_cookie_is_refused(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    """Login CSRF: a form posted from another site carries no sign-in cookie of ours."""
    _, secret = web_key(Role.READER)
    csrf = csrf_of(client.get("/signin"))
    client.cookies.clear()
    response = client.post("/signin", data={"key": secret, "csrf": csrf}, follow_redirects=False)
    assert response.status_code == 403
    assert _sessions(session) == []


def test_sign_in_with_wrong_form_token_is_refused(
    client: TestClient, session: Session, web_key: WebKeyFactory
) -> None:
    _, secret = web_key(Role.READER)
    client.get("/signin")
    response = client.post(
        "/signin", data={"key": secret, "csrf": "0" * 64}, follow_redirects=False
    )
    assert response.status_code == 403
    assert _sessions(session) == []


def test_failed_sign_ins_share_the_failed_key_limit(
    make_client: ClientFactory, web_key: WebKeyFactory
) -> None:
    client = make_client(auth_failures_per_minute=2)
    _, secret = web_key(Role.READER)
    bad = "ct_00000000_" + "y" * 43
    api = client.get("/api/v1/claims", headers={"Authorization": f"Bearer {bad}"})
    assert api.status_code == 401
    assert sign_in(client, bad).status_code == 401
    refused = sign_in(client, bad)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) in range(1, 61)  # the rest of the minute
    assert "too many requests with an invalid key" in refused.text
    again = client.get("/api/v1/claims", headers={"Authorization": f"Bearer {bad}"})
    assert again.status_code == 429
    assert sign_in(client, secret).status_code == 303  # a good key from there goes on
