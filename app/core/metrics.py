"""Prometheus metrics: requests and their latency by route template, and the database pool."""

from collections.abc import Iterable, Iterator

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
# A `_created` timestamp beside every counter and histogram doubles the series for nothing the
# Prometheus text format needs (this switch is the library's, for the whole process).
disable_created_metrics()  # type: ignore[no-untyped-call]
UNMATCHED = "unmatched"  # the route label of requests no route took (404s, early 413s)


class HttpMetrics:
    """The app's request counters; one registry per app, so tests start from zero."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ("method", "route", "status")
        self.requests = Counter(
            "claimtrack_http_requests",
            "HTTP requests answered, by method, route template and status.",
            labels,
            registry=self.registry,
        )
        self.duration = Histogram(
            "claimtrack_http_request_duration_seconds",
            "Time from the request's arrival to the end of its response.",
            labels,
            registry=self.registry,
        )
        # labels() takes a lock and builds a tuple each time: keep the children it returns.
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            values = (method, route, str(status))
            children = (self.requests.labels(*values), self.duration.labels(*values))
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def render(self, extra: Iterable[Metric] = ()) -> bytes:
        """The exposition text: the counters, then metrics computed for this scrape."""
        return generate_latest(_Scrape(self.registry, list(extra)))


class _Scrape:
    def __init__(self, registry: CollectorRegistry, extra: list[Metric]) -> None:
        self.registry = registry
        self.extra = extra

    def collect(self) -> Iterator[Metric]:
        yield from self.registry.collect()
        yield from self.extra


def pool_metrics(engine: Engine) -> list[Metric]:
    """Connections checked out of the pool and its size, for pools that keep count."""
    pool = engine.pool
    if not isinstance(pool, QueuePool):
        return []
    return [
        GaugeMetricFamily(
            "claimtrack_db_pool_checked_out",
            "Database connections in use.",
            value=pool.checkedout(),
        ),
        GaugeMetricFamily(
            "claimtrack_db_pool_size",
            "Connections the pool keeps open (more may overflow).",
            value=pool.size(),
        ),
    ]
