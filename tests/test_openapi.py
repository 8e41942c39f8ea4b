"""The committed OpenAPI document is the app's: a change to the API shows up in review."""

import json
from pathlib import Path

from app.main import create_app

COMMITTED = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def test_committed_openapi_matches_app() -> None:
    committed = json.loads(COMMITTED.read_text())
    assert committed == create_app().openapi(), "run `make openapi` and commit the result"


def test_every_operation_has_id_summary_and_errors() -> None:
    spec = create_app().openapi()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            assert op["operationId"], (method, path)
            assert op.get("description") or op.get("summary"), (method, path)
            if path.startswith("/api/"):
                assert {"401", "403", "422", "429"} <= set(op["responses"]), (method, path)


def test_every_write_documents_its_race_and_every_replayable_one_its_replay_header() -> None:
    spec = create_app().openapi()
    writes = replayable = 0
    for operations in spec["paths"].values():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch", "delete"):
                continue
            writes += 1
            conflict = operation["responses"]["409"]
            assert "A concurrent request changed the same records" in conflict["description"]
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
            if "Idempotency-Key" in names:
                replayable += 1
                ok = [a for s, a in operation["responses"].items() if s.startswith("2")]
                assert all("Idempotency-Replayed" in a["headers"] for a in ok)
    # Every write of the API, and its creating POSTs but those showing a secret once (POST
    # /keys, POST /webhooks).
    assert (writes, replayable) == (40, 11)
