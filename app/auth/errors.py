"""Errors of the keys domain."""

from app.core.errors import ConflictError, NotFound


class ApiKeyNotFound(NotFound):
    code = "api_key_not_found"
    title = "No such API key"


class LastAdminKey(ConflictError):
    code = "last_admin_key"
    title = "The last live admin key cannot be revoked"
