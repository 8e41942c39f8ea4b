"""CORS is closed unless CLAIMTRACK_CORS_ORIGINS names the origins that may call the API."""

from fastapi.testclient import TestClient

from tests.conftest import ClientFactory

APP = "https://app.example"
OTHER = "https://evil.example"


def _preflight(client: TestClient, origin: str) -> dict[str, str]:
    response = client.options(
        "/api/v1/claims",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    return {"status": str(response.status_code), **response.headers}


def test_cors_is_closed_by_default(client: TestClient, reader: dict[str, str]) -> None:
    response = client.get("/api/v1/claims", headers={**reader, "Origin": APP})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = _preflight(client, APP)
    assert preflight["status"] == "405"
    assert "access-control-allow-origin" not in preflight


def test_allowed_origin_gets_cors_headers(
    make_client: ClientFactory, reader: dict[str, str]
) -> None:
    client = make_client(cors_origins=[APP])
    response = client.get("/api/v1/claims", headers={**reader, "Origin": APP})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == APP
    assert response.headers["access-control-expose-headers"] == (
        "ETag, Link, Location, Retry-After, X-Request-ID"
    )


def test_allowed_origin_passes_the_preflight(make_client: ClientFactory) -> None:
    preflight = _preflight(make_client(cors_origins=[APP]), APP)
    assert preflight["status"] == "200"
    assert preflight["access-control-allow-origin"] == APP
    assert preflight["access-control-allow-methods"] == "DELETE, GET, PATCH, POST"
    assert preflight["access-control-allow-headers"] == (
        "Accept, Accept-Language, Authorization, Content-Language, Content-Type, If-Match, "
        "If-None-Match, X-Request-ID"
    )
    assert "x-request-id" in preflight


def test_foreign_origin_gets_no_cors_headers(
    make_client: ClientFactory, reader: dict[str, str]
) -> None:
    client = make_client(cors_origins=[APP])
    response = client.get("/api/v1/claims", headers={**reader, "Origin": OTHER})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = _preflight(client, OTHER)
    assert preflight["status"] == "400"
    assert "access-control-allow-origin" not in preflight
