"""Errors of the indicators domain."""

from app.core.errors import ConflictError, NotFound


class IndicatorNotFound(NotFound):
    code = "indicator_not_found"
    title = "No such indicator"


class ObservationExists(ConflictError):
    code = "observation_exists"
    title = "This period already has a value of this vintage"
