# painfellow — `make demo` runs the app on demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_DB := var/demo.sqlite3
export PAINFELLOW_DEMO_URL := sqlite:///$(DEMO_DB)

.PHONY: system install demo serve test test-sqlite test-postgres test-browser lint bench clean

$(STAMP): pyproject.toml setup.py requirements.lock src/painfellow/core/matching/_fastrun.c
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

system:
	bash scripts/system-packages.sh

demo: install
	mkdir -p var
	PAINFELLOW_DATABASE_URL=$(PAINFELLOW_DEMO_URL) $(BIN)/painfellow db upgrade
	PAINFELLOW_DATABASE_URL=$(PAINFELLOW_DEMO_URL) $(BIN)/painfellow demo load
	PAINFELLOW_DATABASE_URL=$(PAINFELLOW_DEMO_URL) $(BIN)/painfellow demo logins
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C to stop)"
	PAINFELLOW_DATABASE_URL=$(PAINFELLOW_DEMO_URL) $(BIN)/painfellow serve --host 127.0.0.1 --port 8000

test: system install lint test-sqlite test-postgres test-browser

test-sqlite: install
	$(BIN)/pytest -q --ignore=tests/browser

test-postgres: install
	PAINFELLOW_TEST_DB=postgresql $(BIN)/pytest -q --ignore=tests/browser --ignore=tests/core --ignore=tests/cli

test-browser: install
	$(BIN)/pytest -q tests/browser

lint: install
	$(BIN)/ruff check setup.py src tests benchmarks
	$(BIN)/ruff format --check setup.py src tests benchmarks
	$(BIN)/mypy

bench: install
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache build
	find src -name "*.so" -delete
