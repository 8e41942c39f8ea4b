"""Who may do what: the one table of roles and permissions."""

from enum import StrEnum

from app.auth.models import Role


class Permission(StrEnum):
    READ = "read"
    WRITE = "write"  # claims, sources, entities, metrics, indicators, observations
    REVIEW = "review"  # resolve flags, write reviews
    MANAGE_KEYS = "manage_keys"


POLICY: dict[Role, frozenset[Permission]] = {
    Role.READER: frozenset({Permission.READ}),
    Role.ANALYST: frozenset({Permission.READ, Permission.WRITE}),
    Role.REVIEWER: frozenset({Permission.READ, Permission.REVIEW}),
    Role.ADMIN: frozenset(Permission),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in POLICY[role]
