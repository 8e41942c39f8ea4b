"""A claim's value and period read before it is stored (the page that logs a claim shows the
reading as it is typed): the same reading as `intake.read`, writing nothing."""

from datetime import date

from sqlalchemy.orm import Session

from app.claims.intake import check_dimension, read_period, read_value, settle
from app.claims.models import ClaimFields
from app.entities import service as entities
from app.entities.service import MetricRow
from app.quantities import Period, Quantity


def value(
    session: Session, metric_name: str | None, fields: ClaimFields
) -> tuple[MetricRow | None, Quantity]:
    """The metric a claim names (None: new, it would be created in the value's unit) and its
    value read in it, as `intake.metric_for` reads them, but the metric is looked up, never
    created. Raises the `InvalidInput` a create would, with the same field."""
    metric = entities.find_metric(session, metric_name) if metric_name else None
    text = fields.value_text
    quantity = read_value(fields, default_unit=metric.unit if metric else None, text=text)
    if metric is not None:
        check_dimension(quantity, metric, fields, text)
    # A new metric is created in the value's unit: it measures what the value does.
    return metric, settle(
        quantity, metric.dimension if metric else quantity.dimension, fields, text
    )


def period(text: str | None, asserted_on: date) -> Period | None:
    """The period as a create reads it, relative to the day the claim was made."""
    return read_period(text, asserted_on)
