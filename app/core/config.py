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
    sqlite_busy_timeout_ms: int = 15000
    idempotency_ttl_hours: int = Field(
        default=24, ge=1, description="how long an Idempotency-Key is remembered"
    )
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
