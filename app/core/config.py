"""The one place that reads the environment: every setting Claimtrack has."""

import os
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

    environment: Literal["development", "test", "production"] = Field(
        default="development",
        description="`production` refuses to start while the secret key is the development one",
    )
    database_url: str = Field(
        default="sqlite:///var/claimtrack.db",
        validation_alias="DATABASE_URL",
        description="`sqlite:///path` or `postgresql+psycopg://user:password@host/db`",
    )
    secret_key: SecretStr = Field(
        default=SecretStr(DEV_SECRET),
        description="API keys are stored as HMACs made with it: changing it voids every key",
    )
    bootstrap_admin_key: SecretStr | None = Field(
        default=None,
        description="`claimtrack serve`, no key yet: this text (16-512 chars) is the admin key",
    )
    max_body_bytes: int = Field(default=1_048_576, description="larger request bodies get 413")
    body_timeout_s: float = Field(
        default=5.0,
        gt=0,
        description="how long a request's body may take to arrive once the app reads it, "
        "then 408 (and the request's in-flight slot is freed)",
    )
    max_page_size: int = Field(
        default=500, description="not read yet: list routes take `limit` 1-500 (fixed)"
    )
    default_page_size: int = Field(
        default=50, description="not read yet: list routes default to 50 (fixed)"
    )
    db_pool_size: int = Field(
        default=5,
        description="PostgreSQL connections pooled per process; as many again open under load",
    )
    db_pool_timeout_s: float = Field(
        default=5.0, gt=0, description="wait for a free pooled connection, then 503"
    )
    db_connect_timeout_s: float = Field(
        default=0.75,
        gt=0,
        le=60,
        description="how long a new PostgreSQL connection may take before the request's 503",
    )
    db_statement_timeout_ms: int = Field(
        default=30_000, ge=0, description="PostgreSQL statement_timeout (0: none)"
    )
    db_lock_timeout_ms: int = Field(
        default=10_000, ge=0, description="PostgreSQL lock_timeout (0: none)"
    )
    sqlite_busy_timeout_ms: int = Field(
        default=15000, description="how long a SQLite writer waits for the write lock"
    )
    load_demo: bool = Field(
        default=True, description="`claimtrack serve`: load the demo data into an empty database"
    )
    idempotency_ttl_hours: int = Field(
        default=24, ge=1, description="how long an Idempotency-Key is remembered"
    )
    max_in_flight: int | None = Field(
        default=None,
        ge=0,
        description="requests a process works on at once; more wait (0: off; default: twice "
        "the CPU cores it may run on)",
    )
    max_in_flight_wait_ms: int = Field(
        default=1000, ge=0, description="how long a request waits for a slot before its 503"
    )
    memory_trim_interval_s: float = Field(
        default=5, ge=0, description="how often the server hands freed memory back (0: never)"
    )
    check_interval_minutes: float = Field(
        default=60, ge=0, description="how often the server checks targets and staleness (0: off)"
    )
    series_cache_mb: int = Field(
        default=64, ge=0, description="rendered series JSON kept per process, by ETag (0: off)"
    )
    host: str = Field(default="127.0.0.1", description="where `claimtrack serve` listens")
    port: int = Field(default=8000, description="where `claimtrack serve` listens")
    log_format: Literal["json", "text"] = Field(
        default="json", description="log lines as JSON (one object a line) or plain text"
    )
    access_log: bool = Field(default=True, description="one log line per request")
    metrics_enabled: bool = Field(
        default=True, description="serve Prometheus metrics at /metrics (no key: keep it private)"
    )
    opentelemetry: bool = Field(
        default=False,
        description="FastAPI's OpenTelemetry traces, metrics and logs, to the global providers "
        "an SDK sets up (off: not even a look for them on each request)",
    )
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
    def in_flight_limit(self) -> int:
        """`max_in_flight`, or twice the cores this process may run on. One process runs
        Python on one core at a time: more requests at once than that only make each one
        slower (and a SQLite writer hold its lock longer), they do not make more of them."""
        if self.max_in_flight is not None:
            return self.max_in_flight
        return 2 * len(os.sched_getaffinity(0))

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


def _shown_default(value: object) -> str:
    if value is None:
        return "unset"
    if isinstance(value, SecretStr):
        return "a development value" if value.get_secret_value() == DEV_SECRET else "set"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def reference_table() -> str:
    """The settings as a Markdown table (README.md carries it; `claimtrack settings` prints it)."""
    prefix = Settings.model_config.get("env_prefix", "")
    rows = ["| setting | variable | default | meaning |", "|---|---|---|---|"]
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        variable = alias if isinstance(alias, str) else f"{prefix}{name}".upper()
        default = _shown_default(field.get_default(call_default_factory=True))
        rows.append(f"| `{name}` | `{variable}` | {default} | {field.description or ''} |")
    return "\n".join(rows) + "\n"
