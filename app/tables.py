"""Every table, imported in one place so that the metadata is whole (Alembic, the CLI)."""

import app.audit.models
import app.auth.models
import app.claims.models
import app.entities.models
import app.fx.models
import app.idempotency.models
import app.indicators.models
import app.review.models
import app.sources.models  # noqa: F401
from app.core.models import metadata

__all__ = ["metadata"]
