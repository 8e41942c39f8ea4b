"""The one place that reads the environment: every setting Claimtrack has."""

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit, urlunsplit

import orjson
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEV_SECRET = "claimtrack-development-secret-do-not-use-in-production"  # noqa: S105
# A bootstrap key is any text a deployer chose, not a random one: in production it must be long
# enough to resist guessing (32 characters; issued keys carry 43 random ones).
MIN_PRODUCTION_BOOTSTRAP_KEY = 32


class Settings(BaseSettings):
    """Settings read from `CLAIMTRACK_*` variables (and `DATABASE_URL`)."""

    model_config = SettingsConfigDict(env_prefix="CLAIMTRACK_", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        default="development",
        description="`production` refuses to start while the secret key is the development one, "
        "the public URL is unset, or with a bootstrap key shorter than "
        f"{MIN_PRODUCTION_BOOTSTRAP_KEY} characters",
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
        description="`claimtrack serve`, no key yet: this text (16-512 chars; in production "
        f"at least {MIN_PRODUCTION_BOOTSTRAP_KEY}) is the admin key",
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
        description="PostgreSQL connections pooled per process; as many again open under load "
        "(a SQLite file keeps one per worker thread, and at least this many)",
    )
    db_pool_timeout_s: float = Field(
        default=1.0, gt=0, description="wait for a free pooled connection, then 503"
    )
    db_connect_timeout_s: float = Field(
        default=0.75,
        gt=0,
        le=60,
        description="how long a new PostgreSQL connection may take before the request's 503",
    )
    db_query_timeout_s: float = Field(
        default=3.25,
        ge=0,
        description="how long PostgreSQL may take to answer a statement, fetch or commit: "
        "then the connection is closed and the request gets its 503 (0: no bound; must be "
        "above the statement and lock timeouts)",
    )
    db_statement_timeout_ms: int = Field(
        default=2_500, ge=0, description="PostgreSQL statement_timeout (0: none)"
    )
    db_lock_timeout_ms: int = Field(
        default=2_500, ge=0, description="PostgreSQL lock_timeout (0: none)"
    )
    sqlite_busy_timeout_ms: int = Field(
        default=5000,
        ge=0,
        description="how long a SQLite writer waits for the write lock, its wait behind the "
        "other writers of its process included, before the request's 503",
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
    rate_limit_burst: int = Field(
        default=100,
        ge=1,
        description="requests a key may make in any burst * 60 / per-minute seconds (100 in 10 s)",
    )
    auth_failures_per_minute: int = Field(
        default=60,
        ge=0,
        description="failed key checks per client IP a minute, then 429 for more "
        "(valid keys go on); 0 = off",
    )
    redis_url: SecretStr | None = Field(
        default=None,
        description="`redis://host:6379/0`: rate limits shared by every worker and host "
        "(unset: each process counts its own)",
    )
    redis_key_prefix: str = Field(
        default="claimtrack",
        min_length=1,
        description="the rate limits' Redis keys start with it (one for each deployment "
        "sharing a Redis)",
    )
    public_url: str | None = Field(
        default=None,
        description="`https://claims.example.org`: the base of every absolute link the service "
        "writes (unset: the request's scheme and `Host`)",
    )
    publish_fact_checks: bool = Field(
        default=False,
        description="serve `/fact-checks`: every claim with a verdict as a public page (no "
        "sign-in) carrying its ClaimReview JSON-LD; needs the publisher's name and URL",
    )
    publisher_name: str | None = Field(
        default=None,
        max_length=200,
        description="the fact-checking organisation: the `author` of the ClaimReview JSON-LD "
        "(unset: the reviewer is its author)",
    )
    publisher_url: str | None = Field(
        default=None, description="`https://example.org`: the organisation's home page"
    )
    publisher_logo_url: str | None = Field(
        default=None, description="`https://example.org/logo.png`: the organisation's logo"
    )
    session_idle_hours: float = Field(
        default=12,
        gt=0,
        description="a web app session unused this long ends (the next page asks to sign in)",
    )
    session_max_days: float = Field(
        default=7, gt=0, description="a web app session ends this long after sign-in, used or not"
    )
    webhook_secret_key: SecretStr | None = Field(
        default=None,
        description="Fernet key(s) that encrypt webhook signing secrets at rest, comma-separated "
        "(the first encrypts, all decrypt: add a new one in front to rotate). Unset: a key kept "
        "in `var/webhook-secret.key`, made on first use (refused in production)",
    )
    webhook_allow_http: bool = Field(
        default=False, description="accept plain `http://` webhook URLs (development, tests)"
    )
    webhook_allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default=[],
        description="webhook hosts (names or addresses) delivered to even when they resolve to "
        "private, loopback or link-local addresses; comma-separated or a JSON list",
    )
    webhook_worker: bool = Field(
        default=True,
        description="deliver webhooks from the server process (off: run `claimtrack worker`)",
    )
    webhook_timeout_s: float = Field(
        default=10.0, gt=0, le=60, description="how long a webhook receiver may take to answer"
    )
    webhook_lease_s: float = Field(
        default=60.0,
        gt=0,
        description="how long a worker holds an event it took; a worker that dies leaves it to "
        "be taken again after this (above the timeout)",
    )
    webhook_poll_interval_s: float = Field(
        default=1.0, gt=0, description="how often an idle webhook worker looks for due events"
    )
    webhook_refresh_s: float = Field(
        default=5.0,
        ge=0,
        description="how often a server reads the webhook subscriptions anew, so that one made "
        "on another process gets events (0: only when this process changes one)",
    )
    webhook_secret_overlap_hours: float = Field(
        default=24,
        ge=0,
        description="after a rotation, deliveries are signed with the old secret too for this long",
    )
    trusted_hosts: Annotated[list[str], NoDecode] = Field(
        default=["*"],
        description="`Host` values served, comma-separated or a JSON list (`*.example.org` "
        "allowed); others get 400. `*`: any",
    )

    @field_validator("cors_origins", "trusted_hosts", "webhook_allowed_hosts", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return orjson.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("public_url")
    @classmethod
    def _absolute_base(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("give an absolute http(s) URL, such as https://claims.example.org")
        if parts.query or parts.fragment:
            raise ValueError("give a base URL without a query or fragment")
        return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))

    @field_validator("publisher_url", "publisher_logo_url")
    @classmethod
    def _absolute_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("give an absolute http(s) URL, such as https://example.org")
        return urlunsplit(parts)

    @field_validator("publisher_name")
    @classmethod
    def _named(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.strip():
            raise ValueError("give the organisation's name, or leave it unset")
        return value.strip()

    @model_validator(mode="after")
    def _publisher_named_when_publishing(self) -> "Settings":
        if not self.publish_fact_checks:
            return self
        missing = [
            f"CLAIMTRACK_{name.upper()}"
            for name in ("publisher_name", "publisher_url")
            if getattr(self, name) is None
        ]
        if missing:
            # A fact check with no one answering for it is not one: Google's ClaimReview names
            # its author, an organisation with a name and a home page.
            raise ValueError(
                f"CLAIMTRACK_PUBLISH_FACT_CHECKS is on: set {' and '.join(missing)} "
                "(the organisation publishing the fact checks)"
            )
        return self

    @model_validator(mode="after")
    def _refuse_weak_secrets_in_production(self) -> "Settings":
        if self.environment != "production":
            return self
        if self.secret_key.get_secret_value() == DEV_SECRET:
            raise ValueError("CLAIMTRACK_SECRET_KEY must be set in production")
        if self.public_url is None:
            # Links built from the client's Host header point wherever the client likes.
            raise ValueError("CLAIMTRACK_PUBLIC_URL must be set in production")
        bootstrap = self.bootstrap_admin_key
        if bootstrap is not None and len(bootstrap.get_secret_value()) < (
            MIN_PRODUCTION_BOOTSTRAP_KEY
        ):
            raise ValueError(
                "CLAIMTRACK_BOOTSTRAP_ADMIN_KEY must have at least "
                f"{MIN_PRODUCTION_BOOTSTRAP_KEY} characters in production"
            )
        if self.webhook_secret_key is None:
            # A key file made on first use is for one machine; several hosts need the same key.
            raise ValueError("CLAIMTRACK_WEBHOOK_SECRET_KEY must be set in production")
        return self

    @model_validator(mode="after")
    def _server_ends_statements_first(self) -> "Settings":
        """A server that answers ends a slow statement itself, before the client gives up on
        it (which costs the connection, and leaves the statement running on the server)."""
        bound = self.db_query_timeout_s * 1000
        for name in ("db_statement_timeout_ms", "db_lock_timeout_ms"):
            if bound and not 0 < getattr(self, name) < bound:
                raise ValueError(f"{name} must be above 0 and below db_query_timeout_s")
        return self

    @model_validator(mode="after")
    def _lease_outlasts_a_delivery(self) -> "Settings":
        """A delivery still under way when its lease ends would be taken by another worker
        and sent twice."""
        if self.webhook_lease_s <= self.webhook_timeout_s:
            raise ValueError("webhook_lease_s must be above webhook_timeout_s")
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
    def worker_threads(self) -> int:
        """Threads of the pool that runs the requests' blocking calls: anyio's 40, or more than
        the requests in flight (a request holding a database connection must always find a
        thread to go on with), and the key gate's lookups, which wait for no slot."""
        return max(40, self.in_flight_limit + 20)

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
