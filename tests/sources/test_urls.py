"""Canonical URLs: what makes two addresses the same source."""

import pytest

from app.sources.urls import canonical_url


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTPS://Example.com/a?utm_source=x#top", "https://example.com/a"),
        ("https://example.com/a", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://x.org/p?b=2&a=1&fbclid=z&gclid=y", "https://x.org/p?a=1&b=2"),
        ("https://x.org/Case/Path", "https://x.org/Case/Path"),
        ("  https://x.org/a  ", "https://x.org/a"),
    ],
)
def test_canonical_url_normalises(raw: str, canonical: str) -> None:
    assert canonical_url(raw) == canonical


@pytest.mark.parametrize(
    "raw", ["ftp://x.org/a", "x.org/a", "https://", "https://exa mple.com/", "http://[::1"]
)
def test_canonical_url_rejects(raw: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        canonical_url(raw)
