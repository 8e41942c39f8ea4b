"""Rate limits (the `limits` library, moving windows): requests per API key, and failed key
checks per client address.

With `CLAIMTRACK_REDIS_URL` the windows live in Redis, shared by every worker and host; without
it each process keeps its own. Should Redis fail, each process counts on its own meanwhile (a
warning is logged when that starts and when it ends): a limit that holds per process, rather
than no limit or a 500.
"""

import logging
import math
import threading
import time
from dataclasses import dataclass, field

from limits import RateLimitItem, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter

from app.core.config import Settings
from app.core.errors import RateLimited

log = logging.getLogger(__name__)

# A Redis that does not answer delays each request by this much at most, once.
REDIS_TIMEOUT_S = 0.25


class SweptMemoryStorage(MemoryStorage):
    """The library's in-process windows, their expired entries swept at most once in
    `sweep_every` seconds rather than 10 ms after each hit.

    `MemoryStorage` arms a timer thread of 10 ms on a hit whenever the last one has run out:
    with requests further apart than that, a new thread for almost every request, a quarter of
    a request's CPU before its handler. The sweep only frees memory: a window is read from its
    entries' times, swept or not, so how often it runs changes no answer. (It overrides the
    library's private hook, `__schedule_expiry`; tests/core/test_ratelimit.py notices when a
    new version renames it.)"""

    sweep_every = 1.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 (the library's name)
        if not self.timer.is_alive():
            sweep = self._MemoryStorage__expire_events  # type: ignore[attr-defined]
            self.timer = threading.Timer(self.sweep_every, sweep)
            self.timer.daemon = True  # nothing to keep the process up for
            self.timer.start()


def in_process() -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(SweptMemoryStorage())


def shared(url: str, prefix: str) -> MovingWindowRateLimiter:
    storage = RedisStorage(
        url,
        key_prefix=prefix,
        wrap_exceptions=True,
        socket_connect_timeout=REDIS_TIMEOUT_S,
        socket_timeout=REDIS_TIMEOUT_S,
        retry=None,  # type: ignore[arg-type]  # passed on to redis.Redis: no retries
    )
    return MovingWindowRateLimiter(storage)


def key_items(per_minute: int, burst: int) -> tuple[RateLimitItem, ...]:
    """`per_minute` in any minute, and, when `burst` is less, `burst` in any stretch of the
    time that many take at that rate (100 in any 10 s beside 600 a minute)."""
    minute = RateLimitItemPerMinute(per_minute)
    if burst >= per_minute:
        return (minute,)
    return RateLimitItemPerSecond(burst, math.ceil(60 * burst / per_minute)), minute


def _wait(limiter: MovingWindowRateLimiter, item: RateLimitItem, names: tuple[str, ...]) -> int:
    if limiter.hit(item, *names):
        return 0
    reset = limiter.get_window_stats(item, *names).reset_time
    return max(1, math.ceil(reset - time.time()))


@dataclass
class RateLimits:
    """The app's limits; no items (or None) means that limit is off."""

    per_key: tuple[RateLimitItem, ...]
    failures_per_client: RateLimitItem | None
    limiter: MovingWindowRateLimiter = field(default_factory=in_process)
    fallback: MovingWindowRateLimiter | None = None  # when `limiter` is Redis's
    _failing: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> "RateLimits":
        per_key = settings.rate_limit_per_minute
        failures = settings.auth_failures_per_minute
        limits = cls(
            per_key=key_items(per_key, settings.rate_limit_burst) if per_key else (),
            failures_per_client=RateLimitItemPerMinute(failures) if failures else None,
        )
        if settings.redis_url is not None:
            limits.fallback = limits.limiter
            url = settings.redis_url.get_secret_value()
            limits.limiter = shared(url, settings.redis_key_prefix)
        return limits

    @property
    def in_process(self) -> bool:
        """Counted in this process's memory (no Redis): counting costs no round trip."""
        return self.fallback is None

    def _hit(self, item: RateLimitItem, *names: str) -> int:
        """Count one request: 0 when the window had room for it, else the whole seconds
        (at least 1) until it has."""
        try:
            wait = _wait(self.limiter, item, names)
        except StorageError as exc:
            if self.fallback is None:
                raise
            if not self._failing:
                self._failing = True
                log.warning(
                    "rate limits: Redis failed (%s); counting in each process", exc.storage_error
                )
            return _wait(self.fallback, item, names)
        if self._failing:
            self._failing = False
            log.warning("rate limits: Redis answers again; counting there")
        return wait

    def check_key(self, key_id: int) -> None:
        """Count one request of this key; RateLimited when a window of its limit is full."""
        for item in self.per_key:
            wait = self._hit(item, "key", str(key_id))
            if wait:
                raise RateLimited(
                    f"this key may make {item.amount} requests in any {item.get_expiry()} s; "
                    f"retry in {wait} s",
                    retry_after=wait,
                )

    def failed(self, client: str) -> None:
        """Count one failed key check from this address; RateLimited when it has failed too
        often lately. Only failed checks count and are refused: a valid key from the same
        address goes on."""
        if self.failures_per_client is None:
            return
        wait = self._hit(self.failures_per_client, "auth-failures", client)
        if wait:
            raise RateLimited(
                f"too many requests with an invalid key from this address; retry in {wait} s",
                retry_after=wait,
            )
