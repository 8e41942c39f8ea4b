"""The one place that reads the environment: every setting Claimtrack has."""

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

import orjson
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

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
    max_in_flight: int = Field(
        default=100, ge=0, description="requests a process serves at once; more get 503 (0: off)"
    )
    check_interval_minutes: float = Field(
        default=60, ge=0, description="how often the server checks targets and staleness (0: off)"
    )
    series_cache_mb: int = Field(
        default=64, ge=0, description="rendered series JSON kept per process, by ETag (0: off)"
    )
    host: str = "127.0.0.1"
    port: int = 8000
    log_format: Literal["json", "text"] = "json"
    access_log: bool = True
    metrics_enabled: bool = True
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default=[], description="comma-separated or a JSON list; empty: no CORS at all"
    )
    rate_limit_per_minute: int = Field(default=600, ge=0, description="per API key; 0 = off")
    rate_limit_burst: int = Field(default=100, ge=1, description="requests a key may save up")
    auth_failures_per_minute: int = Field(default=60, ge=0, description="per client IP; 0 = off")

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return orjson.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

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
