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
