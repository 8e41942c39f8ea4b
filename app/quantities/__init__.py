"""Quantities as written in the news: values, units, intervals and periods, as pure functions."""

from app.quantities.errors import QuantityError
from app.quantities.intervals import APPROX_TOLERANCE, Bound, Interval
from app.quantities.periods import Period, parse_period
from app.quantities.quantity import FigureType, Quantity
from app.quantities.relative import for_metric, in_metric_unit, type_for_metric
from app.quantities.units import canonical_unit, convert
from app.quantities.values import parse_quantity, parse_value

__all__ = [
    "APPROX_TOLERANCE",
    "Bound",
    "FigureType",
    "Interval",
    "Period",
    "Quantity",
    "QuantityError",
    "canonical_unit",
    "convert",
    "for_metric",
    "in_metric_unit",
    "parse_period",
    "parse_quantity",
    "parse_value",
    "type_for_metric",
]
