# Guishu: `make run` serves the demo, `make test` runs the suite. Both set everything up first.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1
export GUISHU_VAR_DIR ?= $(CURDIR)/var

.PHONY: run test test-db test-e2e lint bench messages clean

# The browser tests only (screenshots land in artifacts/e2e/).
test-e2e: $(STAMP)
	scripts/ensure-chromium
	$(BIN)/pytest tests/e2e

$(STAMP): pyproject.toml
	@python=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(BIN)/python ]; then echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/guishu migrate --no-input
	$(BIN)/guishu demo --if-empty
	$(BIN)/guishu serve

# The architecture contracts and migration check are quick, so every test run enforces them.
# The end-to-end tests (tests/e2e) need Debian's chromium and a CJK font: installed if missing.
test: $(STAMP)
	scripts/ensure-chromium
	$(BIN)/lint-imports --no-cache
	$(BIN)/guishu makemigrations --check --dry-run
	$(BIN)/pytest

# The database-facing tests only; .ci/run calls this with DATABASE_URL pointing at PostgreSQL.
test-db: $(STAMP)
	scripts/ensure-pg-client
	$(BIN)/pytest -m db_facing

# bandit scans the application code (configured in pyproject.toml). pip-audit checks every
# installed package against PyPI's advisories; --strict fails when a package cannot be checked,
# rather than reporting "no known vulnerabilities" for an audit that never happened.
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/guishu makemigrations --check --dry-run
	$(BIN)/bandit -c pyproject.toml -r src -q
	$(BIN)/pip-audit --skip-editable --strict --progress-spinner off

bench: $(STAMP)
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Regenerates the translation catalogues (needs GNU gettext); the compiled .mo files are committed.
messages: $(STAMP)
	cd src/guishu && ../../$(BIN)/guishu makemessages -l zh_Hans -l en --no-obsolete
	cd src/guishu && ../../$(BIN)/guishu compilemessages

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache var artifacts
