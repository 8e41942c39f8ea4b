"""In-process token buckets: requests per API key, and failed key checks per client address.

The buckets live in one process: with N workers a client gets N times the limit.
"""

import math
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from app.core.config import Settings
from app.core.errors import RateLimited

Clock = Callable[[], float]


class TokenBuckets:
    """One bucket per key: `per_minute` tokens a minute flow in, at most `burst` are kept."""

    def __init__(
        self,
        per_minute: int,
        burst: int,
        *,
        clock: Clock = time.monotonic,
        max_keys: int = 100_000,
    ) -> None:
        self.per_minute = per_minute
        self.burst = burst
        self.rate = per_minute / 60.0
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: dict[Hashable, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()

    def _tokens(self, key: Hashable, now: float) -> float:
        tokens, at = self._buckets.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - at) * self.rate)

    def _wait(self, tokens: float) -> int:
        """Whole seconds until the bucket holds one token (at least 1)."""
        return max(1, math.ceil((1.0 - tokens) / self.rate))

    def take(self, key: Hashable) -> int:
        """Take a token: 0 when there was one, else the seconds to wait for the next."""
        with self._lock:
            now = self.clock()
            tokens = self._tokens(key, now)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return self._wait(tokens)
            if key not in self._buckets and len(self._buckets) >= self.max_keys:
                self._forget_full(now)
            self._buckets[key] = (tokens - 1.0, now)
            return 0

    def empty(self, key: Hashable) -> int:
        """Like `take`, without taking: 0 when a token is there, else the seconds to wait."""
        with self._lock:
            if key not in self._buckets:
                return 0
            tokens = self._tokens(key, self.clock())
            return 0 if tokens >= 1.0 else self._wait(tokens)

    def _forget_full(self, now: float) -> None:
        # A full bucket is the same as no bucket: dropping those bounds memory for keys that
        # are many and short-lived (client addresses). If none is full, start over.
        full = [k for k in self._buckets if self._tokens(k, now) >= self.burst]
        for k in full:
            del self._buckets[k]
        if not full:
            self._buckets.clear()


@dataclass
class RateLimits:
    """The app's limits; a None bucket set means that limit is off."""

    per_key: TokenBuckets | None
    failures_per_client: TokenBuckets | None

    @classmethod
    def from_settings(cls, settings: Settings) -> "RateLimits":
        per_key = settings.rate_limit_per_minute
        failures = settings.auth_failures_per_minute
        return cls(
            per_key=TokenBuckets(per_key, settings.rate_limit_burst) if per_key else None,
            failures_per_client=TokenBuckets(failures, failures) if failures else None,
        )

    def check_key(self, key_id: int) -> None:
        """Count one request of this key; RateLimited when its bucket is empty."""
        if self.per_key is None:
            return
        wait = self.per_key.take(key_id)
        if wait:
            raise RateLimited(
                f"this key may make {self.per_key.per_minute} requests a minute "
                f"(bursts of {self.per_key.burst}); retry in {wait} s",
                retry_after=wait,
            )

    def check_client(self, client: str) -> None:
        """RateLimited when this address has failed too many key checks lately."""
        if self.failures_per_client is None:
            return
        wait = self.failures_per_client.empty(client)
        if wait:
            raise RateLimited(
                f"too many requests with an invalid key from this address; retry in {wait} s",
                retry_after=wait,
            )

    def failed(self, client: str) -> None:
        """Count one failed key check from this address."""
        if self.failures_per_client is not None:
            self.failures_per_client.take(client)
