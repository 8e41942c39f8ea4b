"""/metrics: Prometheus text for the scraper (no key; off with CLAIMTRACK_METRICS_ENABLED=false)."""

import logging

from fastapi import APIRouter, Request, Response
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.core.db import get_engine
from app.core.metrics import CONTENT_TYPE, HttpMetrics, pool_metrics
from app.core.models import utcnow
from app.core.sessions import SessionDep
from app.review import queue
from app.webhooks import outbox

router = APIRouter(tags=["health"])
log = logging.getLogger("claimtrack.metrics")


def _open_flags(session: Session) -> list[Metric]:
    try:
        counts = queue.open_counts(session)
    except DBAPIError as exc:
        # The request metrics matter most when the database is down: leave out only this.
        session.rollback()
        log.warning("database unavailable: /metrics leaves out open flags: %s", exc)
        return []
    gauge = GaugeMetricFamily("claimtrack_open_flags", "Open flags by kind.", labels=["kind"])
    for kind, count in counts.items():
        gauge.add_metric([kind.value], count)
    return [gauge]


def _webhooks(session: Session) -> list[Metric]:
    try:
        counts, oldest = outbox.depth(session)
    except DBAPIError as exc:
        session.rollback()
        log.warning("database unavailable: /metrics leaves out the webhook outbox: %s", exc)
        return []
    waiting = GaugeMetricFamily(
        "claimtrack_webhook_outbox_events",
        "Webhook events not delivered: pending (to be tried) or dead (out of attempts).",
        labels=["state"],
    )
    for state, count in sorted(counts.items()):
        waiting.add_metric([state], count)
    age = (utcnow() - oldest).total_seconds() if oldest is not None else 0.0
    oldest_gauge = GaugeMetricFamily(
        "claimtrack_webhook_outbox_oldest_pending_seconds",
        "Age of the oldest webhook event not yet delivered (0: none waiting).",
        value=max(0.0, age),
    )
    return [waiting, oldest_gauge]


# Out of the OpenAPI document: it is for the scraper, in Prometheus's format, not the API's.
@router.get("/metrics", operation_id="metrics", include_in_schema=False)
def metrics(request: Request, session: SessionDep) -> Response:
    """Request counts and latencies by route, pool gauges, open flags, the webhook outbox and
    delivery attempts, for Prometheus."""
    registry: HttpMetrics = request.app.state.metrics
    extra = [*pool_metrics(get_engine()), *_open_flags(session), *_webhooks(session)]
    body = registry.render(extra)
    return Response(body, media_type=CONTENT_TYPE)
