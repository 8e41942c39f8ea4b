"""/metrics: Prometheus text for the scraper (no key; off with CLAIMTRACK_METRICS_ENABLED=false)."""

import logging

from fastapi import APIRouter, Request, Response
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.core.db import get_engine
from app.core.metrics import CONTENT_TYPE, HttpMetrics, pool_metrics
from app.core.sessions import SessionDep
from app.review import queue

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


# Out of the OpenAPI document: it is for the scraper, in Prometheus's format, not the API's.
@router.get("/metrics", operation_id="metrics", include_in_schema=False)
def metrics(request: Request, session: SessionDep) -> Response:
    """Request counts and latencies by route, pool gauges and open flags, for Prometheus."""
    registry: HttpMetrics = request.app.state.metrics
    body = registry.render([*pool_metrics(get_engine()), *_open_flags(session)])
    return Response(body, media_type=CONTENT_TYPE)
