# Claimtrack: `make run` serves the API with the demo data, `make test` runs the whole suite.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: help install assets run test client-ts check lint typecheck format openapi migrate seed bench bench-quick bench-load bench-drafts bench-pages bench-webhooks mutation clean

help:
	@echo "make run      - install, migrate, load the demo, serve on 127.0.0.1:8000"
	@echo "make assets   - npm ci in web/ when its lock changed, then copy the served files into app/static/vendor/"
	@echo "make test     - run the whole test suite (TEST_DATABASE_URL=postgresql+psycopg://... for PostgreSQL)"
	@echo "make check    - ruff format --check, ruff check, mypy --strict, tests"
	@echo "make client-ts - generate the TypeScript client from openapi/openapi.json and type-check it (needs npm)"
	@echo "make openapi  - write openapi/openapi.json from the app"
	@echo "make migrate  - alembic upgrade head on DATABASE_URL (default: SQLite under var/)"
	@echo "make bench    - Claimtrack beside Datasette and bare FastAPI, SQLite and PostgreSQL -> bench/RESULTS.md"
	@echo "make bench-quick - the same, small data and short runs (about 2 minutes)"
	@echo "make bench-load  - the mixed load at 8 and 200 connections -> bench/RESULTS.md"
	@echo "make bench-drafts - draft claims scored on the labelled set beside quantulum3, and timed -> bench/RESULTS.md"
	@echo "make bench-pages  - page loads to the charts drawn in headless Chromium (watchlist, indicator) -> bench/RESULTS.md"
	@echo "make bench-webhooks - webhook delivery latency and throughput, 1 and 2 workers, PostgreSQL -> bench/RESULTS.md"
	@echo "make mutation - mutmut on the pure rule modules with their own unit tests only (about a minute)"

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --python $(PYTHON) --quiet
	touch $@

install: $(VENV)/.installed

# The front-end packages pinned in web/package-lock.json, copied where the app serves them.
assets:
	$(PYTHON) scripts/assets.py

run: install assets
	$(BIN)/claimtrack serve

# The suite generates and uses the Python client (tests/clients/); the TypeScript one needs npm.
test: install assets
	$(BIN)/pytest -q -p no:cacheprovider
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory client-ts; \
	else echo "TypeScript client not checked: no npm here (install Node.js and npm, then make client-ts)"; fi

# Fails on any warning of the generator, as tests/clients/ does for the Python client.
client-ts:
	cd clients/ts && npm ci --no-audit --no-fund --loglevel=error
	set -o pipefail; cd clients/ts && npm run --silent generate 2>&1 | tee generated.log
	! grep -qi warn clients/ts/generated.log
	cd clients/ts && npm run --silent check
	@echo "TypeScript client: generated and type-checked"

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy app tests

check: lint typecheck test

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

openapi: install
	$(BIN)/claimtrack openapi

migrate: install
	$(BIN)/claimtrack migrate

seed: install
	$(BIN)/claimtrack seed

bench: install
	$(BIN)/python -m bench.run

bench-quick: install
	$(BIN)/python -m bench.run --quick

bench-load: install
	$(BIN)/python -m bench.load

# quantulum3, the anchor, is in the `bench` dependency group; the next `make install` drops it.
bench-drafts: install
	$(UV) sync --frozen --group bench --quiet
	$(BIN)/python -m bench.drafts

# Debian's Chromium at /usr/bin/chromium (apt-get install chromium), as the browser tests.
bench-pages: install assets
	$(BIN)/python -m bench.pages

bench-webhooks: install
	$(BIN)/python -m bench.webhooks

mutation: install
	$(BIN)/python -m tests.mutation

clean:
	rm -rf $(VENV) .tools web/node_modules app/static/vendor .mypy_cache .ruff_cache .pytest_cache .hypothesis
