"""Property-based contract test: every operation, 50 generated requests each, against the spec.

The run is deterministic (derandomized) and authenticates with an admin key (tests/contract.py),
so that it tests more than 401s; schemathesis still drops the key where it probes missing auth.
"""

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import Session

from tests.contract import admin_schema

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(client: TestClient, session: Session) -> Any:
    return admin_schema(client, session)


@schema.parametrize()
@settings(max_examples=50, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()
