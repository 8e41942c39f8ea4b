"""Property-based contract test: every operation, 50 generated requests each, against the spec.

The run is deterministic (derandomized) and authenticates with an admin key (tests/contract.py),
so that it tests more than 401s; schemathesis still drops the key where it probes missing auth.
"""

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from sqlalchemy.orm import Session

from tests.conftest import ClientFactory
from tests.contract import admin_schema

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(make_client: ClientFactory, session: Session) -> Any:
    # A contract test, not a load test: one key makes hundreds of requests per operation.
    client = make_client(rate_limit_per_minute=0, auth_failures_per_minute=0)
    return admin_schema(client, session)


@schema.parametrize()
@settings(max_examples=50, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate()
