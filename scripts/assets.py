"""`make assets`: the front-end packages pinned in web/package-lock.json, installed with
`npm ci` when the lock changed, and the files the app serves copied into app/static/vendor/.

Nothing is fetched at run time and nothing comes from a CDN: the app serves these copies
under /static/vendor/ (the API docs, and the pages' charts). Standard library only, so that it
runs before the project's virtual environment exists."""

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
LOCK = WEB / "package-lock.json"
# npm writes it on each install: older than the lock means the lock changed since.
INSTALLED = WEB / "node_modules" / ".package-lock.json"
VENDOR = ROOT / "app" / "static" / "vendor"

# Served name -> the file of an installed package it is copied from.
FILES = {
    "swagger-ui-bundle.js": "swagger-ui-dist/swagger-ui-bundle.js",
    "swagger-ui.css": "swagger-ui-dist/swagger-ui.css",
    "favicon-32x32.png": "swagger-ui-dist/favicon-32x32.png",
    "redoc.standalone.js": "redoc/bundles/redoc.standalone.js",
    "d3.min.js": "d3/dist/d3.min.js",
    "plot.umd.min.js": "@observablehq/plot/dist/plot.umd.min.js",
    "axe.min.js": "axe-core/axe.min.js",
}

# Served name -> (text, replacement): each text must be in the package's file exactly once, so
# that a new version that moved it fails here rather than serving the file unpatched.
# ReDoc draws Redocly's logo in its menu from their CDN, whatever its options say: the docs'
# Content-Security-Policy refuses it (an error in the console, and a request that would leave
# the host). A blank image of the page's own takes its place; "API docs by Redocly" stays.
BLANK_SVG = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/%3E"
PATCHES = {
    "redoc.standalone.js": [("https://cdn.redoc.ly/redoc/logo-mini.svg", BLANK_SVG)],
}

NO_NPM = """\
make assets: `npm` (Node.js 18 or newer) is not on PATH. The API docs and the pages are served
from front-end packages that npm installs from web/package-lock.json. Install Node.js and npm,
e.g. on Debian or Ubuntu:

    apt-get install -y nodejs npm

then run `make assets` (or `make run`, `make test`) again."""


def install() -> None:
    """`npm ci` when web/node_modules is missing or older than the lock."""
    if INSTALLED.exists() and INSTALLED.stat().st_mtime >= LOCK.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(NO_NPM)
    # web/.npmrc: no install scripts (one package's would report the install over the network).
    subprocess.run([npm, "ci", "--prefix", str(WEB)], check=True)  # noqa: S603 (fixed arguments)


def patch(name: str, content: bytes) -> bytes:
    """The file's content with its PATCHES applied."""
    for text, replacement in PATCHES[name]:
        found = content.count(text.encode())
        if found != 1:
            sys.exit(f"make assets: {text!r} is in {name} {found} times, not once: check PATCHES")
        content = content.replace(text.encode(), replacement.encode())
    return content


def copy() -> list[str]:
    """Copy each served file that differs; drop any file no longer served. The names copied."""
    VENDOR.mkdir(parents=True, exist_ok=True)
    copied = []
    for name, source in FILES.items():
        found = WEB / "node_modules" / source
        if not found.is_file():
            sys.exit(f"make assets: {found} is missing; remove web/node_modules and run it again")
        target = VENDOR / name
        if name in PATCHES:
            patched = patch(name, found.read_bytes())
            if not target.exists() or target.read_bytes() != patched:
                target.write_bytes(patched)
                copied.append(name)
        elif not target.exists() or not filecmp.cmp(found, target, shallow=False):
            shutil.copyfile(found, target)
            copied.append(name)
    for stale in VENDOR.iterdir():
        if stale.name not in FILES:
            stale.unlink()
    return copied


def main() -> None:
    install()
    copied = copy()
    if copied:
        print(f"assets: {len(copied)} file(s) copied into {VENDOR.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
