"""Unknown query parameters: refused with 422 naming each, on every route."""

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from app.api import metrics
from app.core.query import declared_query
from app.main import ROUTERS, create_app

# Every route the app serves (its routers keep them; the app's own list holds the routers).
ROUTES = [
    pytest.param(method, route, id=f"{method} {route.path}")
    for router in (*ROUTERS, metrics.router)
    for route in router.routes
    if isinstance(route, APIRoute)
    for method in sorted(route.methods or ())
]
SPEC = create_app().openapi()
# The JSON lists still read the old `?format=csv`, out of the document (app/api/formats.py).
OLD_FORMAT = {
    "/api/v1/claims",
    "/api/v1/flags",
    "/api/v1/watchlist",
    "/api/v1/indicators/{indicator_id}/series",
    "/api/v1/series",
}


def _url(route: APIRoute) -> str:
    return re.sub(r"\{[^}]+\}", "1", route.path)


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_request_with_unknown_parameter_is_refused_naming_it(
    client: TestClient, admin: dict[str, str], method: str, route: APIRoute
) -> None:
    r = client.request(method, _url(route) + "?entitty=KTZ&slug=ktz&slug=x", headers=admin)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["code"] == "unknown_parameter"
    assert problem["field"] == "entitty"
    assert [e["field"] for e in problem["errors"]] == ["entitty", "slug"]


@pytest.mark.parametrize(("method", "route"), ROUTES)
def test_declared_parameters_are_those_of_the_openapi_operation(
    method: str, route: APIRoute
) -> None:
    operation = SPEC["paths"].get(route.path, {}).get(method.lower())
    if operation is None:  # out of the document (/metrics): it takes none
        assert declared_query(route) == frozenset()
        return
    listed = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    old = method == "GET" and route.path.removesuffix(".csv") in OLD_FORMAT
    assert declared_query(route) == listed | ({"format"} if old else set())


def test_misspelt_filter_gets_a_close_match_hint(
    client: TestClient, reader: dict[str, str]
) -> None:
    r = client.get("/api/v1/claims?entitty=KTZ&metric=investment", headers=reader)
    assert r.status_code == 422
    problem = r.json()
    assert problem["errors"] == [
        {"field": "entitty", "problem": "unknown query parameter; did you mean entity?"}
    ]
    assert problem["detail"].startswith("entitty: unknown query parameter; did you mean entity?")
    assert "this operation takes " in problem["detail"]


def test_declared_parameters_and_aliases_pass(client: TestClient, reader: dict[str, str]) -> None:
    r = client.get("/api/v1/claims?entity=ktz&limit=2", headers=reader)
    assert r.status_code == 200, r.text
    r = client.get("/api/v1/indicators/1/series?from=2024-01-01&to=2024-12-31", headers=reader)
    assert r.status_code == 404  # no indicator 1 here: the query itself was accepted
    assert r.json()["code"] == "indicator_not_found"


def test_route_without_parameters_says_it_takes_none(client: TestClient) -> None:
    r = client.get("/healthz?verbose=1")
    assert r.status_code == 422
    assert (
        r.json()["detail"]
        == "verbose: unknown query parameter (this operation takes no query parameters)"
    )
