"""A body in a media type the operation does not take: 415 naming Content-Type, every route."""

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app.api import metrics
from app.core.media import accepted_types
from app.main import ROUTERS, create_app

TAKING_BODIES = [
    pytest.param(method, route, id=f"{method} {route.path}")
    for router in (*ROUTERS, metrics.router)
    for route in router.routes
    if isinstance(route, APIRoute) and accepted_types(route) is not None
    for method in sorted(route.methods or ())
]
SPEC = create_app().openapi()


def test_every_operation_with_a_body_is_listed() -> None:
    with_body = sum("requestBody" in op for ops in SPEC["paths"].values() for op in ops.values())
    assert len(TAKING_BODIES) == with_body == 30


@pytest.mark.parametrize(("method", "route"), TAKING_BODIES)
def test_body_in_another_media_type_is_415(
    client: TestClient, admin: dict[str, str], method: str, route: APIRoute
) -> None:
    url = re.sub(r"\{[^}]+\}", "1", route.path)
    headers = {**admin, "Content-Type": "text/plain"}
    r = client.request(method, url, content=b'{"name": "x"}', headers=headers)
    assert r.status_code == 415, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert (problem["code"], problem["field"]) == ("unsupported_media_type", "Content-Type")
    assert problem["detail"].endswith("not text/plain")
    operation = SPEC["paths"][route.path][method.lower()]
    assert frozenset(operation["requestBody"]["content"]) == accepted_types(route)
    assert "415" in operation["responses"]


def test_json_with_parameters_and_json_suffix_types_are_taken(
    client: TestClient, analyst: dict[str, str]
) -> None:
    for kind in ("application/json; charset=utf-8", "application/merge-patch+json"):
        r = client.post("/api/v1/sources", content=b"{}", headers={**analyst, "Content-Type": kind})
        assert (r.status_code, r.json()["field"]) == (422, "title")


def test_csv_is_taken_where_declared(client: TestClient, analyst: dict[str, str]) -> None:
    r = client.post(
        "/api/v1/sources", content=b"title\\nx\\n", headers={**analyst, "Content-Type": "text/csv"}
    )
    assert r.status_code == 415
    assert r.json()["detail"] == "send the body as application/json, not text/csv"
