"""Errors of idempotent requests."""

from app.core.errors import ConflictError, InvalidInput


class IdempotencyKeyReused(InvalidInput):
    code = "idempotency_key_reused"
    title = "This Idempotency-Key was already used for a different request"


class IdempotencyKeyInFlight(ConflictError):
    code = "idempotency_key_in_flight"
    title = "A request with this Idempotency-Key has not finished"


IDEMPOTENCY_ERRORS = (IdempotencyKeyReused, IdempotencyKeyInFlight)
