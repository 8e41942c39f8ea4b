"""What the in-process schemathesis tests share: the admin key they send, and their schema.

The key is registered as schemathesis auth once, for every schema in the run, so that the tests
exercise more than 401s; schemathesis still drops it where it probes missing auth.
"""

from collections.abc import Collection
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.auth import service as keys
from app.auth.models import ApiKeyCreate, Role

ADMIN_KEY = "ct_schemath_" + "k" * 40

# Left out of the state machines' operations: `strict_names` only refuses a new name close to
# a known one (the in-process run, on every operation, still sends it), and a parameter more
# would change every scenario the state machines draw from their seed.
UNSTEERED_PARAMETERS = frozenset({"strict_names"})


@schemathesis.auth()
class AdminKey:
    def get(self, case: Any, context: Any) -> str:
        return ADMIN_KEY

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def admin_schema(
    client: TestClient, session: Session, operations: Collection[str] | None = None
) -> Any:
    """The app's schema, called in process, after the admin key is stored in the test's database.

    With `operations` (operation ids), only those and the links between them: schemathesis
    builds its state machine from every operation of a schema, whatever its filters say.
    """
    keys.create(
        session,
        ApiKeyCreate(name="schemathesis", role=Role.ADMIN),
        created_by_id=None,
        key=ADMIN_KEY,
    )
    session.commit()
    if operations is None:
        return schemathesis.openapi.from_asgi("/openapi.json", client.app)
    spec: dict[str, Any] = client.get("/openapi.json").json()
    paths: dict[str, Any] = {}
    for path, item in spec["paths"].items():
        kept = {m: op for m, op in item.items() if op["operationId"] in operations}
        for op in kept.values():
            op["parameters"] = [
                p for p in op.get("parameters", []) if p["name"] not in UNSTEERED_PARAMETERS
            ]
            for response in op["responses"].values():
                links = response.pop("links", {})
                linked = {k: v for k, v in links.items() if v["operationId"] in operations}
                if linked:
                    response["links"] = linked
        if kept:
            paths[path] = kept
    loaded = schemathesis.openapi.from_dict({**spec, "paths": paths})
    loaded.app = client.app
    loaded.location = "/openapi.json"
    return loaded
