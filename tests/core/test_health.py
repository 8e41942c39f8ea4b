"""Liveness and readiness, and errors for routes that do not exist."""

from fastapi.testclient import TestClient


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
