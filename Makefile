# One entry point for newcomers and CI. Everything installs into ./.venv.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home

.PHONY: setup sync test test-fast lint format validate ui stack e2e bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

## Offline sync of every provider with a sample recording into the embedded SQLite catalog.
sync: $(STAMP)
	$(BIN)/catalog-pipeline sync --replay recordings

## The whole test suite (needs PostgreSQL on 127.0.0.1:5432, database `test`).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 2 -p no:logging -q

## Lint and the tests that need neither PostgreSQL nor child processes (about a minute).
test-fast: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 2 -p no:logging -q -m "not postgres and not e2e and not slow and not process"

## The performance scenarios of BENCHMARKS.md (about 20 minutes; needs the local PostgreSQL).
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

validate: $(STAMP)
	$(BIN)/dagster definitions validate -w workspace.yaml

## The Dagster UI on http://127.0.0.1:3000 over the same instance the CLI writes to.
ui: $(STAMP)
	mkdir -p $(DAGSTER_HOME)
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

## The production stack on this machine (README "Production"). Offline: make stack STACK_ARGS="--replay recordings"
stack: $(STAMP)
	$(BIN)/python deploy/run_local_stack.py --dagster-home $(CURDIR)/data/dagster_prod_home $(STACK_ARGS)

## Only the end-to-end tests of the production stack (real processes, real PostgreSQL).
e2e: $(STAMP)
	$(BIN)/pytest -m e2e -p no:logging -q

clean:
	rm -rf data .pytest_cache
