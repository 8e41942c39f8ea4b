"""What claims are about (entities, with aliases) and what they measure (metrics)."""
