"""Rate limits: token buckets per API key, and per client address for failed key checks."""

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.auth.models import Role
from app.core.ratelimit import RateLimits, TokenBuckets
from tests.conftest import ClientFactory, KeyFactory

BOGUS = {"Authorization": "Bearer ct_deadbeef_" + "x" * 30}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _limits(client: TestClient, clock: FakeClock) -> RateLimits:
    """The app's limits, on a clock the test moves."""
    app = client.app
    assert isinstance(app, FastAPI)
    limits: RateLimits = app.state.rate_limits
    for buckets in (limits.per_key, limits.failures_per_client):
        if buckets is not None:
            buckets.clock = clock
    return limits


def test_bucket_allows_the_burst_then_says_how_long_to_wait() -> None:
    clock = FakeClock()
    buckets = TokenBuckets(60, 3, clock=clock)
    assert [buckets.take("k") for _ in range(4)] == [0, 0, 0, 1]
    clock.now += 0.5
    assert buckets.take("k") == 1
    clock.now += 0.5
    assert buckets.take("k") == 0
    assert buckets.take("k") == 1


def test_bucket_wait_is_whole_seconds_at_a_slow_rate() -> None:
    clock = FakeClock()
    buckets = TokenBuckets(3, 2, clock=clock)
    assert [buckets.take("k") for _ in range(3)] == [0, 0, 20]
    clock.now += 10.5
    assert buckets.take("k") == 10


def test_bucket_refills_no_higher_than_the_burst() -> None:
    clock = FakeClock()
    buckets = TokenBuckets(60, 2, clock=clock)
    buckets.take("k")
    clock.now += 3600
    assert [buckets.take("k") for _ in range(3)] == [0, 0, 1]


def test_empty_does_not_take_a_token() -> None:
    clock = FakeClock()
    buckets = TokenBuckets(60, 1, clock=clock)
    assert [buckets.empty("k"), buckets.empty("k")] == [0, 0]
    assert buckets.take("k") == 0
    assert [buckets.empty("k"), buckets.empty("k")] == [1, 1]


def test_buckets_forget_full_ones_past_their_size() -> None:
    clock = FakeClock()
    buckets = TokenBuckets(60, 5, clock=clock, max_keys=2)
    buckets.take("a")
    buckets.take("b")
    clock.now += 10
    buckets.take("c")
    assert set(buckets._buckets) == {"c"}


def test_key_over_its_limit_is_429_and_other_keys_are_not(
    make_client: ClientFactory, auth: KeyFactory
) -> None:
    client = make_client(rate_limit_per_minute=3, rate_limit_burst=3)
    _limits(client, FakeClock())
    first, second = auth(Role.READER), auth(Role.READER)
    statuses = [client.get("/api/v1/claims", headers=first).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = client.get("/api/v1/claims", headers=first)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "20"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "rate_limited"
    assert response.json()["detail"] == (
        "this key may make 3 requests a minute (bursts of 3); retry in 20 s"
    )
    assert client.get("/api/v1/claims", headers=second).status_code == 200


def test_key_may_go_on_once_its_bucket_refills(
    make_client: ClientFactory, reader: dict[str, str]
) -> None:
    client = make_client(rate_limit_per_minute=60, rate_limit_burst=1)
    clock = FakeClock()
    _limits(client, clock)
    assert client.get("/api/v1/claims", headers=reader).status_code == 200
    assert client.get("/api/v1/claims", headers=reader).status_code == 429
    clock.now += 1
    assert client.get("/api/v1/claims", headers=reader).status_code == 200


def test_rate_limit_zero_is_off(make_client: ClientFactory, reader: dict[str, str]) -> None:
    client = make_client(rate_limit_per_minute=0, rate_limit_burst=1)
    assert _limits(client, FakeClock()).per_key is None
    statuses = [client.get("/api/v1/claims", headers=reader).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]


def test_invalid_keys_from_one_address_are_limited(
    make_client: ClientFactory, reader: dict[str, str]
) -> None:
    client = make_client(auth_failures_per_minute=2)
    _limits(client, FakeClock())
    statuses = [client.get("/api/v1/claims", headers=BOGUS).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    response = client.get("/api/v1/claims", headers=BOGUS)
    assert (response.status_code, response.headers["Retry-After"]) == (429, "30")
    assert response.json()["code"] == "rate_limited"
    # Until the address's bucket refills, even a valid key from it waits: the check comes
    # before the key is looked up. A request without any key costs nothing and is not counted.
    assert client.get("/api/v1/claims", headers=reader).status_code == 429
    assert client.get("/api/v1/claims").status_code == 401


def test_failed_key_checks_limit_zero_is_off(make_client: ClientFactory) -> None:
    client = make_client(auth_failures_per_minute=0)
    assert _limits(client, FakeClock()).failures_per_client is None
    statuses = [client.get("/api/v1/claims", headers=BOGUS).status_code for _ in range(5)]
    assert statuses == [401] * 5


def test_keyed_create_authenticates_once_and_counts_once(
    make_client: ClientFactory, analyst: dict[str, str]
) -> None:
    client = make_client(rate_limit_per_minute=2, rate_limit_burst=2)
    _limits(client, FakeClock())
    body = {"title": "Bureau of Statistics", "url": "https://stat.example/a"}
    headers = {**analyst, "Idempotency-Key": "k-1"}
    assert client.post("/api/v1/sources", json=body, headers=headers).status_code == 201
    replay = client.post("/api/v1/sources", json=body, headers=headers)
    assert (replay.status_code, replay.headers["Idempotency-Replayed"]) == (201, "true")
    assert client.post("/api/v1/sources", json=body, headers=headers).status_code == 429
