"""Errors of the entities and metrics domain."""

from app.core.errors import ConflictError, NotFound


class EntityNotFound(NotFound):
    code = "entity_not_found"
    title = "No such entity"


class MetricNotFound(NotFound):
    code = "metric_not_found"
    title = "No such metric"


class NameTaken(ConflictError):
    code = "name_taken"
    title = "That slug, name or alias already belongs to a record"


class CloseMatch(ConflictError):
    code = "close_match"
    title = "The name is new, but close to a record's: write that one, or leave out strict_names"
