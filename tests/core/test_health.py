"""Liveness and readiness, and errors for routes that do not exist."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from app.api import health


def test_healthz_is_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_reaches_the_database(client: TestClient) -> None:
    response = client.get("/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ready"})


def test_unknown_route_is_problem_json(client: TestClient) -> None:
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_wrong_method_is_problem_json(client: TestClient) -> None:
    response = client.put("/healthz")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_nul_in_query_is_422(client: TestClient, reader: dict[str, str]) -> None:
    response = client.get("/api/v1/claims?entity=a%00b", headers=reader)
    assert response.status_code == 422
    assert response.json()["field"] == "query"


def test_nul_in_body_is_422(client: TestClient, analyst: dict[str, str]) -> None:
    response = client.post("/api/v1/entities", json={"name": "a\u0000b"}, headers=analyst)
    assert response.status_code == 422
    assert response.json()["field"] == "name"


def test_readyz_is_503_when_the_database_is_unreachable(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Port 9 (discard) has no database behind it: the connection is refused at once.
    dead = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1")
    monkeypatch.setattr(health, "get_engine", lambda: dead)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json()["code"] == "database_unavailable"


def test_wrong_method_lists_every_allowed_method(client: TestClient) -> None:
    response = client.put("/api/v1/claims/1")
    assert response.status_code == 405
    assert response.headers["Allow"] == "DELETE, GET, PATCH"
