"""`make assets`: the front-end packages pinned exactly, copied where the app serves them."""

import json
import os
from pathlib import Path

import pytest

from scripts import assets


def test_every_front_end_package_is_pinned_to_its_locked_version() -> None:
    manifest = json.loads((assets.WEB / "package.json").read_text())
    locked = json.loads(assets.LOCK.read_text())["packages"]
    wanted = manifest["dependencies"]
    assert sorted(wanted) == ["@observablehq/plot", "axe-core", "d3", "redoc", "swagger-ui-dist"]
    for name, version in wanted.items():
        assert locked[""]["dependencies"][name] == version
        assert locked[f"node_modules/{name}"]["version"] == version


def test_every_served_file_is_copied_as_its_package_ships_it() -> None:
    served = sorted(p.name for p in assets.VENDOR.iterdir())
    assert served == sorted(assets.FILES)
    for name, source in assets.FILES.items():
        shipped = (assets.WEB / "node_modules" / source).read_bytes()
        if name in assets.PATCHES:
            shipped = assets.patch(name, shipped)
        assert (assets.VENDOR / name).read_bytes() == shipped, name


def test_redoc_is_served_without_its_logo_from_a_cdn() -> None:
    shipped = (assets.WEB / "node_modules" / assets.FILES["redoc.standalone.js"]).read_bytes()
    served = (assets.VENDOR / "redoc.standalone.js").read_bytes()
    assert shipped.count(b"https://cdn.redoc.ly/") == 1
    assert served.count(b"https://cdn.redoc.ly/") == 0
    assert served.count(assets.BLANK_SVG.encode()) == 1
    assert len(served) == len(shipped) - len(b"https://cdn.redoc.ly/redoc/logo-mini.svg") + len(
        assets.BLANK_SVG
    )


def test_patch_refuses_a_file_without_its_text_once() -> None:
    with pytest.raises(SystemExit, match=r"is in redoc\.standalone\.js 0 times, not once"):
        assets.patch("redoc.standalone.js", b"a newer ReDoc that moved its logo")


def test_copy_replaces_a_changed_file_and_drops_a_stale_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assets, "VENDOR", tmp_path)
    assert sorted(assets.copy()) == sorted(assets.FILES)
    (tmp_path / "d3.min.js").write_text("changed")
    (tmp_path / "gone.js").write_text("no package ships it now")
    assert assets.copy() == ["d3.min.js"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(assets.FILES)
    assert assets.copy() == []


def test_install_without_npm_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assets, "INSTALLED", tmp_path / "never-installed.json")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(SystemExit) as exited:
        assets.install()
    assert exited.value.code == assets.NO_NPM
    assert "apt-get install -y nodejs npm" in str(exited.value.code)


def test_install_skips_npm_while_the_lock_is_older_than_the_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    installed = tmp_path / ".package-lock.json"
    installed.write_text("{}")
    lock = assets.LOCK.stat().st_mtime
    os.utime(installed, (lock + 1, lock + 1))
    monkeypatch.setattr(assets, "INSTALLED", installed)
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm: it would fail if it were run
    assets.install()
