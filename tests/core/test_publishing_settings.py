"""Publishing fact checks: off by default; on, it needs the publisher's name and URL (a clear
start-up error naming what is missing); the publisher's addresses must be absolute http(s)."""

import pytest
from pydantic import ValidationError

from app.core.config import Settings
from app.core.publishing import Publisher, Publishing


def test_fact_checks_are_not_published_by_default() -> None:
    settings = Settings()
    assert (settings.publish_fact_checks, settings.publisher_name) == (False, None)
    assert Publishing.from_settings(settings) == Publishing(enabled=False, publisher=None)


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({}, "set CLAIMTRACK_PUBLISHER_NAME and CLAIMTRACK_PUBLISHER_URL"),
        ({"publisher_name": "Desk"}, "set CLAIMTRACK_PUBLISHER_URL "),
        ({"publisher_url": "https://desk.example"}, "set CLAIMTRACK_PUBLISHER_NAME "),
    ],
)
def test_publishing_without_a_named_publisher_refuses_to_start(
    given: dict[str, str], missing: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings.model_validate({"publish_fact_checks": True, **given})
    assert f"CLAIMTRACK_PUBLISH_FACT_CHECKS is on: {missing}" in str(caught.value)


def test_publishing_with_a_named_publisher_starts() -> None:
    settings = Settings(
        publish_fact_checks=True,
        publisher_name="  Example Fact Desk ",
        publisher_url="https://factdesk.example.org",
    )
    assert Publishing.from_settings(settings) == Publishing(
        enabled=True, publisher=Publisher("Example Fact Desk", "https://factdesk.example.org")
    )


@pytest.mark.parametrize("field", ["publisher_url", "publisher_logo_url"])
@pytest.mark.parametrize("given", ["factdesk.example.org", "ftp://factdesk.example.org", "/logo"])
def test_publisher_addresses_must_be_absolute_http(field: str, given: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings.model_validate({field: given})
    assert caught.value.errors()[0]["loc"] == (field,)
    assert "give an absolute http(s) URL" in str(caught.value)


def test_publisher_name_may_not_be_blank() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(publisher_name="   ")
    assert caught.value.errors()[0]["loc"] == ("publisher_name",)
