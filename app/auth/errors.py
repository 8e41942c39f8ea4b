"""Errors of the keys domain."""

from app.core.errors import NotFound


class ApiKeyNotFound(NotFound):
    code = "api_key_not_found"
    title = "No such API key"
