"""The browser tests' gate: skipped with how to run them where Chromium is missing, failed when
CI requires them (so a missing browser can never leave CI green), run where it is there."""

from pathlib import Path

import pytest

from tests.browser import conftest as browser


def _outcome() -> BaseException | None:
    """What the gate raised (a skip and a failure are both caught here, so that one can never
    pass for the other), or None."""
    try:
        browser.check_runnable()
    except BaseException as raised:  # pytest's outcomes are BaseExceptions
        return raised
    return None


def test_missing_chromium_fails_when_required(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.setenv("CLAIMTRACK_BROWSER_TESTS", "required")
    raised = _outcome()
    assert type(raised) is pytest.fail.Exception
    assert str(raised) == (
        f"CLAIMTRACK_BROWSER_TESTS=required, but {tmp_path / 'chromium'} is missing: "
        f"{browser.HOW_TO_RUN}"
    )


def test_missing_chromium_skips_saying_how_to_run_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "chromium")
    monkeypatch.delenv("CLAIMTRACK_BROWSER_TESTS", raising=False)
    raised = _outcome()
    assert type(raised) is pytest.skip.Exception
    assert str(raised) == f"{tmp_path / 'chromium'} is missing: {browser.HOW_TO_RUN}"


def test_present_chromium_runs_them(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    present = tmp_path / "chromium"
    present.write_text("")
    monkeypatch.setattr(browser, "CHROMIUM", present)
    monkeypatch.setenv("CLAIMTRACK_BROWSER_TESTS", "required")
    assert _outcome() is None
