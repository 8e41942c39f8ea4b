"""Rate limits (moving windows of the `limits` library): per API key, and failed key checks per
client address; in each process, or in Redis shared by every worker and host.

The Redis tests run in the normal suite and fail when Redis is not reachable at
`TEST_REDIS_URL` (default: the local one, which CI starts): they never skip.
"""

import logging
import os
import time
import types
import uuid
from collections.abc import Iterator
from typing import Any

import limits.storage.memory
import limits.storage.redis
import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from limits import RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.strategies import MovingWindowRateLimiter
from pydantic import SecretStr

from app.auth.models import Role
from app.core import ratelimit
from app.core.ratelimit import RateLimits, key_items
from tests.conftest import ClientFactory, KeyFactory

BOGUS = {"Authorization": "Bearer ct_deadbeef_" + "x" * 30}
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """The time the limits (in memory and in Redis, whose windows are stamped by the client)
    and the Retry-After read: moved by the test."""
    fake = FakeClock()
    now = types.SimpleNamespace(time=fake)
    for module in (limits.storage.memory, limits.storage.redis, ratelimit):
        monkeypatch.setattr(module, "time", now)
    return fake


@pytest.fixture
def shared() -> Iterator[dict[str, Any]]:
    """Settings for limits in the local Redis, under a key prefix of this test's own."""
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except redis.RedisError as exc:
        pytest.fail(
            f"Redis is not reachable at {REDIS_URL} ({exc}): start it, or set TEST_REDIS_URL"
        )
    prefix = f"claimtrack-test-{uuid.uuid4().hex}"
    yield {"redis_url": SecretStr(REDIS_URL), "redis_key_prefix": prefix}
    for key in connection.scan_iter(f"*{prefix}*"):  # "x" + prefix too
        connection.delete(key)
    connection.close()


def _limits(client: TestClient) -> RateLimits:
    app = client.app
    assert isinstance(app, FastAPI)
    found: RateLimits = app.state.rate_limits
    return found


def test_burst_below_the_rate_is_a_shorter_window() -> None:
    assert key_items(600, 100) == (RateLimitItemPerSecond(100, 10), RateLimitItemPerMinute(600))
    assert key_items(60, 1) == (RateLimitItemPerSecond(1, 1), RateLimitItemPerMinute(60))
    assert key_items(7, 2) == (RateLimitItemPerSecond(2, 18), RateLimitItemPerMinute(7))
    assert key_items(3, 3) == (RateLimitItemPerMinute(3),)


def test_key_over_its_limit_is_429_and_other_keys_are_not(
    make_client: ClientFactory, auth: KeyFactory, clock: FakeClock
) -> None:
    client = make_client(rate_limit_per_minute=3, rate_limit_burst=3)
    first, second = auth(Role.READER), auth(Role.READER)
    statuses = [client.get("/api/v1/claims", headers=first).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    clock.now += 15
    response = client.get("/api/v1/claims", headers=first)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "45"
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "rate_limited"
    assert response.json()["detail"] == ("this key may make 3 requests in any 60 s; retry in 45 s")
    assert client.get("/api/v1/claims", headers=second).status_code == 200


def test_key_may_go_on_once_its_window_has_room(
    make_client: ClientFactory, reader: dict[str, str], clock: FakeClock
) -> None:
    client = make_client(rate_limit_per_minute=60, rate_limit_burst=2)
    statuses = [client.get("/api/v1/claims", headers=reader).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    clock.now += 1
    refused = client.get("/api/v1/claims", headers=reader)
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "1")
    assert refused.json()["detail"] == "this key may make 2 requests in any 2 s; retry in 1 s"
    clock.now += 1.01
    assert client.get("/api/v1/claims", headers=reader).status_code == 200


def test_rate_limit_zero_is_off(make_client: ClientFactory, reader: dict[str, str]) -> None:
    client = make_client(rate_limit_per_minute=0, rate_limit_burst=1)
    assert _limits(client).per_key == ()
    statuses = [client.get("/api/v1/claims", headers=reader).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]


def test_invalid_keys_from_one_address_are_limited_and_valid_keys_go_on(
    make_client: ClientFactory, reader: dict[str, str], clock: FakeClock
) -> None:
    client = make_client(auth_failures_per_minute=2)
    statuses = [client.get("/api/v1/claims", headers=BOGUS).status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    clock.now += 20
    response = client.get("/api/v1/claims", headers=BOGUS)
    assert (response.status_code, response.headers["Retry-After"]) == (429, "40")
    assert response.json()["code"] == "rate_limited"
    # One client's bad keys do not lock out the others behind the same address: a valid key
    # goes on, and a request without any key is a plain 401, counted nowhere.
    assert client.get("/api/v1/claims", headers=reader).status_code == 200
    assert client.get("/api/v1/claims").status_code == 401
    clock.now += 40.001  # the window ends after its last instant
    assert client.get("/api/v1/claims", headers=BOGUS).status_code == 401


def test_failed_key_checks_limit_zero_is_off(make_client: ClientFactory) -> None:
    client = make_client(auth_failures_per_minute=0)
    assert _limits(client).failures_per_client is None
    statuses = [client.get("/api/v1/claims", headers=BOGUS).status_code for _ in range(5)]
    assert statuses == [401] * 5


def test_keyed_create_authenticates_once_and_counts_once(
    make_client: ClientFactory, analyst: dict[str, str], clock: FakeClock
) -> None:
    client = make_client(rate_limit_per_minute=2, rate_limit_burst=2)
    body = {"title": "Bureau of Statistics", "url": "https://stat.example/a"}
    headers = {**analyst, "Idempotency-Key": "k-1"}
    assert client.post("/api/v1/sources", json=body, headers=headers).status_code == 201
    replay = client.post("/api/v1/sources", json=body, headers=headers)
    assert (replay.status_code, replay.headers["Idempotency-Replayed"]) == (201, "true")
    assert client.post("/api/v1/sources", json=body, headers=headers).status_code == 429


def test_without_redis_each_app_counts_its_own(
    make_client: ClientFactory, reader: dict[str, str], clock: FakeClock
) -> None:
    one, two = (make_client(rate_limit_per_minute=2, rate_limit_burst=2) for _ in range(2))
    assert [one.get("/api/v1/claims", headers=reader).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]
    assert two.get("/api/v1/claims", headers=reader).status_code == 200


def test_with_redis_two_apps_share_the_key_limit(
    make_client: ClientFactory, reader: dict[str, str], shared: dict[str, Any], clock: FakeClock
) -> None:
    one, two = (
        make_client(rate_limit_per_minute=3, rate_limit_burst=3, **shared) for _ in range(2)
    )
    assert _limits(one) is not _limits(two)
    assert one.get("/api/v1/claims", headers=reader).status_code == 200
    assert two.get("/api/v1/claims", headers=reader).status_code == 200
    assert one.get("/api/v1/claims", headers=reader).status_code == 200
    clock.now += 10
    refused = two.get("/api/v1/claims", headers=reader)
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "50")
    assert one.get("/api/v1/claims", headers=reader).status_code == 429
    # Another deployment (another key prefix) on the same Redis counts apart.
    other = make_client(
        rate_limit_per_minute=3,
        rate_limit_burst=3,
        **{**shared, "redis_key_prefix": "x" + shared["redis_key_prefix"]},
    )
    assert other.get("/api/v1/claims", headers=reader).status_code == 200
    clock.now += 50.001
    assert two.get("/api/v1/claims", headers=reader).status_code == 200


def test_with_redis_two_apps_share_the_failed_key_limit(
    make_client: ClientFactory, reader: dict[str, str], shared: dict[str, Any], clock: FakeClock
) -> None:
    one, two = (make_client(auth_failures_per_minute=2, **shared) for _ in range(2))
    assert one.get("/api/v1/claims", headers=BOGUS).status_code == 401
    assert two.get("/api/v1/claims", headers=BOGUS).status_code == 401
    refused = one.get("/api/v1/claims", headers=BOGUS)
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "60")
    assert two.get("/api/v1/claims", headers=BOGUS).status_code == 429
    assert two.get("/api/v1/claims", headers=reader).status_code == 200


def test_redis_down_counts_in_the_process_meanwhile(
    make_client: ClientFactory,
    reader: dict[str, str],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = make_client(
        rate_limit_per_minute=2,
        rate_limit_burst=2,
        redis_url=SecretStr("redis://127.0.0.1:1/0"),  # nothing listens there
    )
    with caplog.at_level(logging.WARNING, logger="app.core.ratelimit"):
        statuses = [client.get("/api/v1/claims", headers=reader).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    warnings = [r.getMessage() for r in caplog.records if r.name == "app.core.ratelimit"]
    assert len(warnings) == 1
    assert warnings[0].startswith("rate limits: Redis failed (Error 111 connecting to")


def test_in_process_hits_far_apart_start_one_sweep() -> None:
    storage = ratelimit.SweptMemoryStorage()
    limiter = MovingWindowRateLimiter(storage)
    timers = []
    for _ in range(4):
        time.sleep(0.02)  # longer than the library's own sweep timer of 10 ms
        assert limiter.hit(RateLimitItemPerMinute(10), "key", "1")
        timers.append(storage.timer)
    assert len({id(t) for t in timers}) == 1
    assert timers[0].daemon


def test_in_process_sweep_still_drops_expired_entries(clock: FakeClock) -> None:
    storage = ratelimit.SweptMemoryStorage()
    storage.sweep_every = 0.05
    limiter = MovingWindowRateLimiter(storage)
    item = RateLimitItemPerSecond(2, 1)
    storage.timer.join()
    assert limiter.hit(item, "key", "1")
    clock.now += 2
    storage.timer.join()
    assert limiter.hit(item, "key", "2")  # arms a sweep after the clock moved on
    storage.timer.join()
    assert [len(storage.events[item.key_for("key", n)]) for n in ("1", "2")] == [0, 1]
