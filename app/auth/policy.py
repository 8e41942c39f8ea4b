"""Who may do what: the one table of roles and permissions."""

from enum import StrEnum

from app.auth.models import Role


class Permission(StrEnum):
    READ = "read"
    WRITE = "write"  # claims, sources, entities, metrics, indicators, observations
    REVIEW = "review"  # resolve flags, write reviews
    MANAGE_KEYS = "manage_keys"
    # Webhook subscriptions: a key manages its own; an admin's sees and manages every one.
    MANAGE_WEBHOOKS = "manage_webhooks"


POLICY: dict[Role, frozenset[Permission]] = {
    Role.READER: frozenset({Permission.READ}),
    Role.ANALYST: frozenset({Permission.READ, Permission.WRITE, Permission.MANAGE_WEBHOOKS}),
    Role.REVIEWER: frozenset({Permission.READ, Permission.REVIEW, Permission.MANAGE_WEBHOOKS}),
    Role.ADMIN: frozenset(Permission),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in POLICY[role]
