"""Errors of the review domain."""

from app.core.errors import ConflictError, NotFound


class FlagNotFound(NotFound):
    code = "flag_not_found"
    title = "No such flag"


class FlagClosed(ConflictError):
    code = "flag_closed"
    title = "The flag is already resolved or dismissed"


class NoReview(NotFound):
    code = "review_not_found"
    title = "The claim has no review yet"


class FactCheckNotFound(NotFound):
    code = "fact_check_not_found"
    title = "No such fact check"
