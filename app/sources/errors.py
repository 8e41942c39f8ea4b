"""Errors of the sources domain."""

from app.core.errors import ConflictError, NotFound


class SourceNotFound(NotFound):
    code = "source_not_found"
    title = "No such source"


class SourceExists(ConflictError):
    code = "source_exists"
    title = "A source with this canonical URL exists"


class PublisherNotFound(NotFound):
    code = "publisher_not_found"
    title = "No such publisher"


class PublisherNameTaken(ConflictError):
    code = "publisher_name_taken"
    title = "Another publisher is known by this name"
