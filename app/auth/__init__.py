"""API keys, roles and the permission policy."""
