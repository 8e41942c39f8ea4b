"""Errors of the claims domain."""

from app.core.errors import ConflictError, NotFound


class ClaimNotFound(NotFound):
    code = "claim_not_found"
    title = "No such claim"


class ClaimRetracted(ConflictError):
    code = "claim_retracted"
    title = "The claim is retracted and can no longer change"
