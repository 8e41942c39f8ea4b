"""Property-based contract test: every operation, 50 generated requests each, against the spec.

The run is deterministic (derandomized) and authenticates with an admin key, so that it tests
more than 401s; schemathesis still drops the key in the cases where it probes missing auth.
"""

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import Session

from app.auth import service as keys
from app.auth.models import ApiKeyCreate, Role

ADMIN_KEY = "ct_schemath_" + "k" * 40

schema = schemathesis.pytest.from_fixture("api_schema")


@schemathesis.auth()
class AdminKey:
    def get(self, case: Any, context: Any) -> str:
        return ADMIN_KEY

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def api_schema(client: TestClient, session: Session) -> Any:
    keys.create(
        session,
        ApiKeyCreate(name="schemathesis", role=Role.ADMIN),
        created_by_id=None,
        key=ADMIN_KEY,
    )
    session.commit()
    return schemathesis.openapi.from_asgi("/openapi.json", client.app)


@schema.parametrize()
@settings(max_examples=50, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()
