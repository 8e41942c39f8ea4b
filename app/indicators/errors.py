"""Errors of the indicators domain."""

from app.core.errors import ConflictError, InvalidInput, NotFound


class IndicatorNotFound(NotFound):
    code = "indicator_not_found"
    title = "No such indicator"


class ObservationExists(ConflictError):
    code = "observation_exists"
    title = "This period already has a value of this vintage"


class ObservationNotFound(NotFound):
    code = "observation_not_found"
    title = "No such observation of this indicator"


class ObservationWithdrawn(ConflictError):
    code = "observation_withdrawn"
    title = "The observation was withdrawn"


class ObservationOutlier(InvalidInput):
    code = "observation_outlier"
    title = "The value is more than 100 times off the series' recent median"


class TargetNotFound(NotFound):
    code = "target_not_found"
    title = "No such target of this indicator"
