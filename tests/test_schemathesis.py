"""Property-based contract test: every operation, 50 generated requests each, against the spec.

The run is deterministic (derandomized) and authenticates with an admin key, so that it tests
more than 401s; schemathesis still drops the key in the cases where it probes missing auth.
"""

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import Session

from app.auth import service as keys
from app.auth.models import ApiKeyCreate, Role
from tests.conftest import ClientFactory

ADMIN_KEY = "ct_schemath_" + "k" * 40

schema = schemathesis.pytest.from_fixture("api_schema")


@schemathesis.auth()
class AdminKey:
    def get(self, case: Any, context: Any) -> str:
        return ADMIN_KEY

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def api_schema(make_client: ClientFactory, session: Session) -> Any:
    # A contract test, not a load test: one key makes hundreds of requests per operation.
    client = make_client(rate_limit_per_minute=0, auth_failures_per_minute=0)
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
