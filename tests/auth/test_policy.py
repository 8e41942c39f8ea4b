"""Role x endpoint matrix: every operation of the API answers each role as the policy says."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.auth.models import Role
from app.auth.policy import POLICY, Permission
from app.main import create_app
from tests.conftest import KeyFactory

WRITE_PREFIXES = (
    "/api/v1/claims",
    "/api/v1/drafts",
    "/api/v1/sources",
    "/api/v1/publishers",
    "/api/v1/entities",
    "/api/v1/metrics",
    "/api/v1/fx-rates",
    "/api/v1/indicators",
)


def needed(method: str, path: str) -> Permission:
    """The permission an operation needs, from the policy's prose: the table below must match."""
    if path.startswith("/api/v1/keys"):
        return Permission.MANAGE_KEYS
    if path.startswith("/api/v1/webhooks"):
        return Permission.MANAGE_WEBHOOKS
    if method == "get":
        return Permission.READ
    if path.startswith("/api/v1/flags") or path.endswith(("/reviews", "/merge")):
        return Permission.REVIEW
    assert path.startswith(WRITE_PREFIXES), path
    return Permission.WRITE


OPERATIONS = [
    (method, path)
    for path, item in create_app().openapi()["paths"].items()
    if path.startswith("/api/")
    for method in item
]


def _call(client: TestClient, method: str, path: str, headers: dict[str, str]) -> Any:
    url = path.replace("{claim_id}", "1").replace("{source_id}", "1")
    url = url.replace("{entity_id}", "1").replace("{metric_id}", "1").replace("{key_id}", "1")
    url = url.replace("{flag_id}", "1").replace("{indicator_id}", "1")
    url = url.replace("{publisher_id}", "1").replace("{observation_id}", "1")
    url = url.replace("{target_id}", "1")
    url = url.replace("{webhook_id}", "1").replace("{event_id}", "msg_1")
    body: Any = [] if url.endswith((":bulk", "/citations")) else {}
    if method in ("get", "delete"):
        return client.request(method.upper(), url, headers=headers)
    return client.request(method.upper(), url, headers=headers, json=body)


def test_matrix_covers_every_operation() -> None:
    assert len(OPERATIONS) == 75  # the five `.csv` lists among them


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_operation_without_key_is_401(client: TestClient, method: str, path: str) -> None:
    response = _call(client, method, path, {})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_operation_answers_role_as_policy_says(
    client: TestClient, auth: KeyFactory, role: Role, method: str, path: str
) -> None:
    response = _call(client, method, path, auth(role))
    if needed(method, path) in POLICY[role]:
        assert response.status_code not in (401, 403), response.text
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [
        ("GET", "/api/v1/claims/9999", "claim_not_found"),
        ("PATCH", "/api/v1/claims/9999", "claim_not_found"),
        ("DELETE", "/api/v1/claims/9999", "claim_not_found"),
        ("GET", "/api/v1/claims/9999/history", "claim_not_found"),
        ("POST", "/api/v1/claims/9999/citations", "claim_not_found"),
        ("GET", "/api/v1/sources/9999", "source_not_found"),
        ("PATCH", "/api/v1/sources/9999", "source_not_found"),
        ("GET", "/api/v1/entities/9999", "entity_not_found"),
        ("GET", "/api/v1/metrics/9999", "metric_not_found"),
        ("PATCH", "/api/v1/entities/9999", "entity_not_found"),
        ("PATCH", "/api/v1/metrics/9999", "metric_not_found"),
        ("POST", "/api/v1/entities/9999/merge", "entity_not_found"),
        ("POST", "/api/v1/metrics/9999/merge", "metric_not_found"),
        ("DELETE", "/api/v1/keys/9999", "api_key_not_found"),
        ("GET", "/api/v1/flags/9999", "flag_not_found"),
        ("POST", "/api/v1/flags/9999/resolve", "flag_not_found"),
        ("POST", "/api/v1/flags/9999/assign", "flag_not_found"),
        ("GET", "/api/v1/claims/9999/reviews", "claim_not_found"),
        ("POST", "/api/v1/claims/9999/reviews", "claim_not_found"),
        ("GET", "/api/v1/claims/9999/claimreview", "claim_not_found"),
        ("GET", "/api/v1/indicators/9999", "indicator_not_found"),
        ("PATCH", "/api/v1/indicators/9999", "indicator_not_found"),
        ("GET", "/api/v1/indicators/9999/series", "indicator_not_found"),
        ("GET", "/api/v1/indicators/9999/progress", "indicator_not_found"),
        ("POST", "/api/v1/indicators/9999/targets", "indicator_not_found"),
    ],
)
def test_missing_record_is_404(
    client: TestClient, admin: dict[str, str], method: str, path: str, code: str
) -> None:
    bodies: dict[str, Any] = {
        "citations": [{"source_id": 1, "quote": "q"}],
        "resolve": {"resolution": "dismissed", "reason": "r"},
        "assign": {"assignee_id": None},
        "reviews": {"verdict": "accurate"},
        "targets": {"value_text": "5", "due_on": "2030-01-01"},
        "merge": {"into": 1},
    }
    body = bodies.get(path.rsplit("/", 1)[-1], {})
    if method == "PATCH" and path.startswith(("/api/v1/entities", "/api/v1/metrics")):
        body = {"aliases": []}
    headers = {**admin, "If-Match": "*"}
    if method in ("GET", "DELETE"):
        response = client.request(method, path, headers=headers)
    else:
        response = client.request(method, path, headers=headers, json=body)
    assert response.status_code == 404
    assert response.json()["code"] == code
