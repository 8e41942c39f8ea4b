"""Stateful contract test: schemathesis follows the OpenAPI links from a response to the next call.

The links (app/core/links.py) chain create -> get -> edit with the ETag as If-Match -> retract
for claims, and create -> get -> edit for sources and indicators. Each group of operations runs
as its own state machine, so that its scenarios start at the group's creates (schemathesis starts
them at POSTs and lists), and each scenario runs in a savepoint rolled back at its end, so that
it starts from the same database. Every
response is checked as in tests/test_schemathesis.py; the test also asserts that the chains were
walked to their end (an edit or retraction can only succeed with the ETag the link passes on).

Random claims are rarely valid (`value_text` or `value` + `unit`, never both; a citation names
a source by id or by URL; JSON Schema says neither), so half the positive cases of
claims_create, claims_update and claims_cite get a valid body; the others stay random.
"""

import re
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.internal.cache import LRUCache
from hypothesis.internal.conjecture import providers
from hypothesis.internal.constants_ast import Constants
from hypothesis.internal.floats import float_to_int
from schemathesis.generation import GenerationMode
from sortedcontainers import SortedSet  # type: ignore[import-untyped]
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.api.series import series_cache
from tests.conftest import ClientFactory
from tests.contract import admin_schema

SCENARIOS = 30
STEPS = 8

ETAG = re.compile(r'^"[a-z_]+-[0-9]+-v[0-9]+(\.[0-9a-f]+)?"$')

GROUPS: dict[str, tuple[list[str], set[str]]] = {
    # the operations of each state machine, and what its scenarios must reach ("etag": with
    # the ETag a link passed on as If-Match)
    "claims": (
        ["claims_create", "claims_get", "claims_update", "claims_retract", "claims_history"],
        {"claims_get 200", "claims_update 200 etag", "claims_retract 200 etag"},
    ),
    "citations and reviews": (
        [
            *("claims_create", "claims_get", "claims_cite"),
            *("claims_review", "claims_reviews", "claims_claimreview"),
        ],
        {"claims_cite 201", "claims_review 201", "claims_claimreview 200"},
    ),
    "sources": (
        ["sources_create", "sources_get", "sources_update", "claims_list"],
        {"sources_get 200", "sources_update 200 etag"},
    ),
    "indicators": (
        [
            *("indicators_create", "indicators_get", "indicators_update"),
            *("indicators_add_observations", "indicators_add_target"),
            *("indicators_series", "indicators_progress"),
        ],
        {"indicators_get 200", "indicators_update 200 etag", "indicators_series 200"},
    ),
    "entities and keys": (
        [
            *("entities_create", "entities_get", "entities_update"),
            *("keys_create", "keys_revoke", "claims_list"),
        ],
        {"entities_get 200", "entities_update 200 etag", "keys_revoke 200"},
    ),
    "metrics": (
        ["metrics_create", "metrics_get", "metrics_update", "claims_list"],
        {"metrics_get 200", "metrics_update 200 etag"},
    ),
}

VALID_CLAIM = {
    "entity": "KTZ",
    "metric": "investment",
    "value_text": "$16.5 billion",
    "stated_by": "the ministry",
    "asserted_on": "2026-05-01",
    "statement": "KTZ plans to invest $16.5 billion by 2030.",
}
STEERED = ["claims_create", "claims_update", "claims_cite"]
VALUE_FIELDS = ("value_text", "value", "value_high", "unit", "bound", "citations")


VALID_EDIT = {"value_text": "$17 billion", "basis": "revised"}
VALID_CITATIONS = [
    {"url": "https://stat.example.org/trade/2026-05", "title": "Trade", "quote": "$16.5 billion"}
]


def _sometimes_valid(case: Any) -> Any:
    """Half the positive cases of claims_create, _update and _cite get a body the API accepts."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return st.just(case)
    operation_id = case.operation.definition.raw["operationId"]
    valid: Any
    if operation_id == "claims_update":
        valid = VALID_EDIT
    elif operation_id == "claims_cite":
        valid = VALID_CITATIONS
    elif isinstance(case.body, dict):
        kept = {k: v for k, v in case.body.items() if k not in (*VALUE_FIELDS, *VALID_CLAIM)}
        valid = {**kept, **VALID_CLAIM}
    else:
        return st.just(case)

    def made_valid(fix: bool) -> Any:
        if fix:
            case.body = valid
        return case

    return st.booleans().map(made_valid)


@pytest.fixture(autouse=True)
def _no_local_constants(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hypothesis now and then draws a literal found in the project's modules loaded so far: a
    pool that grows with each module a test before this one imported, so that the scenarios
    (and what they reach) depended on which tests ran first. Keep to its global constants."""
    empty = Constants(
        integers=SortedSet(),
        floats=SortedSet(key=float_to_int),
        bytes=SortedSet(),
        strings=SortedSet(),
    )
    monkeypatch.setattr(providers, "_get_local_constants", lambda: empty)
    monkeypatch.setattr(providers, "CONSTANTS_CACHE", LRUCache(1024))


@pytest.mark.parametrize("group", list(GROUPS))
def test_linked_calls_conform_to_the_schema(
    make_client: ClientFactory, session: Session, connection: Connection, group: str
) -> None:
    operations, must_reach = GROUPS[group]
    client = make_client(rate_limit_per_minute=0, auth_failures_per_minute=0)
    schema = admin_schema(client, session, operations)
    schema.hook("flatmap_case").apply_to(operation_id=STEERED)(
        lambda context, case: _sometimes_valid(case)
    )
    reached: Counter[str] = Counter()

    class Chains(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            self.savepoint = connection.begin_nested()

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            step = f"{case.operation.definition.raw['operationId']} {response.status_code}"
            reached[step] += 1
            if ETAG.match((case.headers or {}).get("If-Match", "")):
                reached[f"{step} etag"] += 1

        def teardown(self) -> None:
            session.rollback()
            self.savepoint.rollback()
            session.expire_all()
            series_cache().clear()  # ids are reused after the rollback

    Chains.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    assert must_reach <= set(reached), sorted(reached.items())


def test_links_chain_claims_sources_and_indicators(client: TestClient) -> None:
    spec: dict[str, Any] = client.get("/openapi.json").json()
    links = {
        (op["operationId"], status, link["operationId"], tuple(sorted(link["parameters"])))
        for item in spec["paths"].values()
        for op in item.values()
        for status, response in op["responses"].items()
        for link in response.get("links", {}).values()
    }
    claim, if_match = ("claim_id",), ("claim_id", "header.If-Match")
    assert {
        ("claims_create", "201", "claims_get", claim),
        ("claims_get", "200", "claims_update", if_match),
        ("claims_update", "200", "claims_retract", if_match),
        ("sources_create", "201", "sources_get", ("source_id",)),
        ("sources_get", "200", "sources_update", ("header.If-Match", "source_id")),
        ("indicators_create", "201", "indicators_get", ("indicator_id",)),
        ("indicators_get", "200", "indicators_update", ("header.If-Match", "indicator_id")),
        ("entities_create", "201", "entities_update", ("entity_id", "header.If-Match")),
        ("entities_get", "200", "entities_update", ("entity_id", "header.If-Match")),
        ("metrics_create", "201", "metrics_update", ("header.If-Match", "metric_id")),
        ("metrics_get", "200", "metrics_update", ("header.If-Match", "metric_id")),
    } <= links
