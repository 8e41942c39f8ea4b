"""The one place that reads the environment: every setting Claimtrack has."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "claimtrack-development-secret-do-not-use-in-production"  # noqa: S105


class Settings(BaseSettings):
    """Settings read from `CLAIMTRACK_*` variables (and `DATABASE_URL`)."""

    model_config = SettingsConfigDict(env_prefix="CLAIMTRACK_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(
        default="sqlite:///var/claimtrack.db",
        validation_alias="DATABASE_URL",
        description="sqlite:///path or postgresql+psycopg://user@host/db",
    )
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    bootstrap_admin_key: SecretStr | None = None
    max_body_bytes: int = 1_048_576
    max_page_size: int = 500
    default_page_size: int = 50
    db_pool_size: int = 5
    db_pool_timeout_s: float = Field(
        default=5.0, gt=0, description="wait for a free pooled connection, then 503"
    )
    db_connect_timeout_s: int = Field(
        default=2, ge=2, description="PostgreSQL connect timeout (libpq's least is 2 s)"
    )
    db_statement_timeout_ms: int = Field(
        default=30_000, ge=0, description="PostgreSQL statement_timeout (0: none)"
    )
    db_lock_timeout_ms: int = Field(
        default=10_000, ge=0, description="PostgreSQL lock_timeout (0: none)"
    )
    sqlite_busy_timeout_ms: int = 15000
    load_demo: bool = True
    host: str = "127.0.0.1"
    port: int = 8000

    @model_validator(mode="after")
    def _refuse_default_secret_in_production(self) -> "Settings":
        if self.environment == "production" and self.secret_key.get_secret_value() == DEV_SECRET:
            raise ValueError("CLAIMTRACK_SECRET_KEY must be set in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def sqlite_path(self) -> Path | None:
        """The database file, for SQLite URLs that name one."""
        if not self.is_sqlite:
            return None
        path = self.database_url.split(":///", 1)[-1]
        return None if path in ("", ":memory:") else Path(path)


@lru_cache
def get_settings() -> Settings:
    return Settings()
