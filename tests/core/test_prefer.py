"""The Prefer header read as RFC 7240 writes it."""

import pytest

from app.core.prefer import preference, wants_minimal


@pytest.mark.parametrize(
    ("header", "value"),
    [
        (None, None),
        ("", None),
        ("return=minimal", "minimal"),
        ("Return = Minimal", "minimal"),
        ('return="minimal"', "minimal"),
        ("return=minimal; foo=bar", "minimal"),
        ("respond-async, wait=10, return=representation", "representation"),
        ("return=representation, return=minimal", "representation"),
        ("return", ""),
        ("returns=minimal", None),
        ("handling=strict", None),
    ],
)
def test_preference_reads_the_first_return(header: str | None, value: str | None) -> None:
    assert preference(header, "return") == value


@pytest.mark.parametrize(
    ("header", "minimal"),
    [(None, False), ("return=minimal", True), ("return=representation", False), ("return=", False)],
)
def test_wants_minimal_only_for_return_minimal(header: str | None, minimal: bool) -> None:
    assert wants_minimal(header) is minimal
