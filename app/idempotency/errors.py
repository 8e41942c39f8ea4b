"""Errors of idempotent requests."""

from app.core.errors import ConflictError, InvalidInput


class IdempotencyKeyReused(InvalidInput):
    code = "idempotency_key_reused"
    title = "This Idempotency-Key was already used for a different request"


class IdempotencyKeyInFlight(ConflictError):
    code = "idempotency_key_in_flight"
    title = "A request with this Idempotency-Key has not finished"


class IdempotencyKeyNotAccepted(InvalidInput):
    code = "idempotency_key_not_accepted"
    title = "This request cannot be replayed and does not take an Idempotency-Key"


IDEMPOTENCY_ERRORS = (IdempotencyKeyReused, IdempotencyKeyInFlight)
