"""Request ids on every response, one access-log line per request, JSON application logs."""

import asyncio
import re
from typing import Any

import orjson
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from opentelemetry import trace
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.auth import service as keys
from app.auth.models import ApiKeyCreate, Role
from app.core.config import get_settings
from app.core.metrics import HttpMetrics
from app.core.observe import ObserveMiddleware
from app.main import create_app
from tests.conftest import ClientFactory

HEX32 = re.compile(r"[0-9a-f]{32}")


def _app(client: TestClient) -> FastAPI:
    assert isinstance(client.app, FastAPI)
    return client.app


def _lines(stderr: str, logger: str | None = None) -> list[dict[str, Any]]:
    lines = [orjson.loads(line) for line in stderr.splitlines() if line.strip()]
    return [line for line in lines if logger is None or line["logger"] == logger]


def _boom() -> None:
    raise RuntimeError("boom")


def _database_down() -> None:
    raise OperationalError("SELECT 1", {}, Exception("connection refused"))


def test_request_id_is_made_when_the_client_sends_none(client: TestClient) -> None:
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert HEX32.fullmatch(first)
    assert HEX32.fullmatch(second)
    assert first != second


@pytest.mark.parametrize("sent", ["abc-123.X_y", "a", "r" * 128])
def test_request_id_from_the_client_comes_back(client: TestClient, sent: str) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": sent}).headers["X-Request-ID"] == sent


@pytest.mark.parametrize(
    "sent", [b"", b"has space", b"semi;colon", b"r" * 129, "é".encode(), b"\xff"]
)
def test_request_id_that_is_not_sane_is_replaced(client: TestClient, sent: bytes) -> None:
    got = client.get("/healthz", headers=[(b"X-Request-ID", sent)]).headers["X-Request-ID"]
    assert HEX32.fullmatch(got)


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("GET", "/nothing/here", 404, "not_found"),
        ("PUT", "/healthz", 405, "method_not_allowed"),
        ("GET", "/api/v1/claims?entity=a%00b", 422, "invalid_input"),
        ("GET", "/api/v1/claims", 401, "unauthenticated"),
        ("GET", "/boom", 500, "internal_error"),
        ("GET", "/database-down", 503, "database_unavailable"),
    ],
)
def test_error_responses_carry_the_request_id(
    client: TestClient, method: str, path: str, status: int, code: str
) -> None:
    _app(client).add_api_route("/boom", _boom)
    _app(client).add_api_route("/database-down", _database_down)
    response = client.request(method, path, headers={"X-Request-ID": "req-1"})
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["X-Request-ID"] == "req-1"


def test_body_over_the_limit_is_413_with_the_request_id(make_client: ClientFactory) -> None:
    client = make_client(max_body_bytes=10)
    response = client.post("/api/v1/entities", content=b"x" * 11, headers={"X-Request-ID": "big"})
    assert (response.status_code, response.json()["code"]) == (413, "payload_too_large")
    assert response.headers["X-Request-ID"] == "big"


def test_access_log_names_the_key_but_never_its_text(
    client: TestClient, session: Session, capsys: pytest.CaptureFixture[str]
) -> None:
    row, secret = keys.create(
        session, ApiKeyCreate(name="logged", role=Role.READER), created_by_id=None
    )
    session.commit()
    capsys.readouterr()
    response = client.get(
        "/api/v1/claims/9999",
        headers={"Authorization": f"Bearer {secret}", "X-Request-ID": "trace-me"},
    )
    assert response.status_code == 404
    stderr = capsys.readouterr().err
    [line] = _lines(stderr, "claimtrack.access")
    assert isinstance(line.pop("ts"), str)
    assert isinstance(line.pop("duration_ms"), float)
    assert line == {
        "level": "info",
        "logger": "claimtrack.access",
        "msg": line["msg"],
        "request_id": "trace-me",
        "key_id": row.id,
        "method": "GET",
        "path": "/api/v1/claims/9999",
        "route": "/api/v1/claims/{claim_id}",
        "status": 404,
        "key_prefix": row.prefix,
    }
    assert re.fullmatch(r"GET /api/v1/claims/9999 404 \d+\.\dms", line["msg"])
    assert secret not in stderr
    assert secret[len(row.prefix) + 1 :] not in stderr
    assert "Bearer" not in stderr


def test_access_log_of_a_request_without_key_has_no_key(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    client.get("/nothing/here", headers={"X-Request-ID": "anon"})
    [line] = _lines(capsys.readouterr().err, "claimtrack.access")
    assert (line["request_id"], line["route"], line["status"]) == ("anon", None, 404)
    assert (line["key_id"], line["key_prefix"]) == (None, None)


def test_unhandled_error_is_logged_as_json_with_the_request_id(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    _app(client).add_api_route("/boom", _boom)
    capsys.readouterr()
    client.get("/boom", headers={"X-Request-ID": "err-1"})
    lines = _lines(capsys.readouterr().err)
    assert [(x["logger"], x["level"], x["request_id"]) for x in lines] == [
        ("claimtrack", "error", "err-1"),
        ("claimtrack.access", "info", "err-1"),
    ]
    assert lines[0]["msg"] == "unhandled error on GET /boom"
    assert lines[0]["exc"].splitlines()[-1] == "RuntimeError: boom"
    assert lines[1]["status"] == 500


def test_database_unavailable_is_logged_with_the_request_id(
    client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    _app(client).add_api_route("/database-down", _database_down)
    capsys.readouterr()
    client.get("/database-down", headers={"X-Request-ID": "db-1"})
    [line] = _lines(capsys.readouterr().err, "claimtrack")
    assert (line["level"], line["request_id"]) == ("warning", "db-1")
    assert line["msg"].startswith("database unavailable on GET /database-down: ")


def test_text_log_format_is_one_plain_line(
    make_client: ClientFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    client = make_client(log_format="text")
    capsys.readouterr()
    client.get("/api/v1/nowhere", headers={"X-Request-ID": "plain"})
    [line] = capsys.readouterr().err.splitlines()
    assert re.fullmatch(
        r"\S+ \S+ INFO claimtrack\.access \[plain\] GET /api/v1/nowhere 404 \d+\.\dms", line
    ), line


def test_health_probes_are_not_logged_unless_they_fail(
    make_client: ClientFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    client = make_client()
    capsys.readouterr()
    assert client.get("/healthz").status_code == 200
    assert capsys.readouterr().err == ""
    assert client.put("/healthz").status_code == 405
    [line] = capsys.readouterr().err.splitlines()
    assert '"path":"/healthz","route":"/healthz","status":405' in line


def test_access_log_can_be_turned_off(
    make_client: ClientFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    client = make_client(access_log=False)
    capsys.readouterr()
    assert client.get("/api/v1/nowhere").status_code == 404
    assert capsys.readouterr().err == ""


async def _cancelled(scope: Any, receive: Any, send: Any) -> None:
    raise asyncio.CancelledError


async def _broken(scope: Any, receive: Any, send: Any) -> None:
    raise RuntimeError("before any response")


async def _receive() -> dict[str, Any]:
    return {"type": "http.request", "body": b""}


async def _send(message: Any) -> None:
    pass


def _count(metrics: HttpMetrics, status: str) -> float | None:
    labels = {"method": "GET", "route": "unmatched", "status": status}
    return metrics.registry.get_sample_value("claimtrack_http_requests_total", labels)


def _call(app: Any, metrics: HttpMetrics) -> None:
    scope = {"type": "http", "method": "GET", "path": "/x", "headers": []}
    middleware = ObserveMiddleware(app, metrics=metrics, log_requests=False)
    asyncio.run(middleware(scope, _receive, _send))


def test_request_the_client_gave_up_on_counts_as_499() -> None:
    metrics = HttpMetrics()
    with pytest.raises(asyncio.CancelledError):
        _call(_cancelled, metrics)
    assert (_count(metrics, "499"), _count(metrics, "500")) == (1, None)


def test_error_before_any_response_goes_on_to_the_server_and_counts_as_500() -> None:
    metrics = HttpMetrics()
    with pytest.raises(RuntimeError, match="before any response"):
        _call(_broken, metrics)
    assert _count(metrics, "500") == 1


class _CountingTracers(trace.TracerProvider):
    """A tracer provider as an OpenTelemetry SDK would set up, counting what asks it."""

    def __init__(self) -> None:
        self.asked = 0

    def get_tracer(self, *args: Any, **kwargs: Any) -> trace.Tracer:
        self.asked += 1
        return trace.NoOpTracer()


@pytest.mark.parametrize(("enabled", "asked"), [(False, 0), (True, 1)])
def test_fastapi_opentelemetry_runs_only_when_the_setting_asks(
    monkeypatch: pytest.MonkeyPatch, enabled: bool, asked: int
) -> None:
    tracers = _CountingTracers()
    monkeypatch.setattr(trace, "get_tracer_provider", lambda: tracers)
    app = create_app(get_settings().model_copy(update={"opentelemetry": enabled}))
    with TestClient(app) as client:
        assert [client.get("/healthz").status_code for _ in range(3)] == [200, 200, 200]
    assert tracers.asked == asked
