"""Every table, imported in one place so that the metadata is whole (Alembic, the CLI)."""

import app.audit.models
import app.auth.models
import app.claims.models
import app.entities.models
import app.fx.models
import app.idempotency.models
import app.indicators.models
import app.review.models
import app.sources.models
import app.webhooks.models  # noqa: F401
from app.claims.search import is_index_table
from app.core.models import metadata

__all__ = ["include_name", "is_index_table", "metadata"]


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's filter for comparing the database with the metadata: the search index is
    kept by the migrations alone, without models (its revision says why)."""
    return not (type_ == "table" and name is not None and is_index_table(name))
