"""The settings reference in README.md is the one `claimtrack settings` renders from the fields."""

import pytest
from pydantic import ValidationError

from app.cli import ROOT, SETTINGS_END, SETTINGS_START
from app.core.config import Settings, reference_table

SECRET = "a-production-secret-key-of-some-length"


def test_readme_settings_table_matches_the_settings_class() -> None:
    readme = (ROOT / "README.md").read_text()
    table = readme.split(SETTINGS_START, 1)[1].split(SETTINGS_END, 1)[0]
    assert table == reference_table(), "stale: run `claimtrack settings --readme`"


def test_reference_table_has_a_row_per_setting_with_its_variable() -> None:
    rows = reference_table().splitlines()[2:]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == [
        f"`{name}`" for name in Settings.model_fields
    ]
    assert "| `database_url` | `DATABASE_URL` | `sqlite:///var/claimtrack.db` |" in rows[1]
    assert rows[2].startswith("| `secret_key` | `CLAIMTRACK_SECRET_KEY` | a development value |")
    assert all(not row.endswith("|  |") for row in rows), "every setting needs a description"


def test_production_refuses_a_bootstrap_key_shorter_than_32_characters() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(
            environment="production",
            secret_key=SECRET,
            public_url="https://claims.example.org",
            bootstrap_admin_key="k" * 31,
        )

    assert caught.value.errors()[0]["msg"] == (
        "Value error, CLAIMTRACK_BOOTSTRAP_ADMIN_KEY must have at least 32 characters in production"
    )


@pytest.mark.parametrize(
    ("environment", "key"),
    [("production", "k" * 32), ("production", None), ("development", "k" * 16)],
)
def test_bootstrap_key_long_enough_for_its_environment_is_accepted(
    environment: str, key: str | None
) -> None:
    settings = Settings(
        environment=environment,
        secret_key=SECRET,
        public_url="https://claims.example.org",
        bootstrap_admin_key=key,
    )

    bootstrap = settings.bootstrap_admin_key
    assert (bootstrap.get_secret_value() if bootstrap else None) == key


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("db_statement_timeout_ms", 3250),
        ("db_statement_timeout_ms", 0),
        ("db_lock_timeout_ms", 5000),
        ("db_lock_timeout_ms", 0),
    ],
)
def test_server_timeouts_must_be_below_the_clients_bound(name: str, value: int) -> None:
    """A server that answers must end a slow statement before the client gives up on it."""
    with pytest.raises(ValidationError) as error:
        Settings.model_validate({name: value})
    assert f"{name} must be above 0 and below db_query_timeout_s" in str(error.value)


def test_without_a_client_bound_the_server_timeouts_are_free() -> None:
    settings = Settings(db_query_timeout_s=0, db_statement_timeout_ms=0, db_lock_timeout_ms=0)
    assert (settings.db_statement_timeout_ms, settings.db_lock_timeout_ms) == (0, 0)


def test_production_refuses_to_start_without_a_webhook_secret_key() -> None:
    """A key file made on first use would differ on each host: production names its key."""
    with pytest.raises(ValidationError) as caught:
        Settings(
            environment="production",
            secret_key=SECRET,
            public_url="https://claims.example.org",
            webhook_secret_key=None,
        )

    assert caught.value.errors()[0]["msg"] == (
        "Value error, CLAIMTRACK_WEBHOOK_SECRET_KEY must be set in production"
    )


def test_webhook_lease_must_outlast_a_delivery() -> None:
    with pytest.raises(ValidationError, match="webhook_lease_s must be above webhook_timeout_s"):
        Settings(webhook_timeout_s=10, webhook_lease_s=10)
