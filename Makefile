# One entry point for newcomers and CI. Everything installs into ./.venv.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DAGSTER_HOME ?= $(CURDIR)/data/dagster_home
override DAGSTER_HOME := $(abspath $(DAGSTER_HOME))
export DAGSTER_HOME
## The port of the Dagster UI (make ui, make stack): make ui PORT=3001
PORT ?= 3000

.PHONY: setup instance sync test test-fast lint format validate ui stack e2e bench mutate clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

## The instance make sync and make ui share: $(DAGSTER_HOME), whose dagster.yaml is a link to
## the repository's dagster.yaml (a dagster.yaml of your own there is kept, and said so).
instance:
	@mkdir -p $(DAGSTER_HOME)
	@target="$(DAGSTER_HOME)/dagster.yaml"; \
	if [ -L "$$target" ] || [ ! -e "$$target" ] || head -n 1 "$$target" | grep -q '^# Created by catalog-pipeline'; then \
	  ln -sfn "$(CURDIR)/dagster.yaml" "$$target"; \
	else \
	  echo "keeping your $$target (it is not a link to ./dagster.yaml, so ./dagster.yaml is not used)"; \
	fi

## Offline sync of every provider with a sample recording into the embedded SQLite catalog.
sync: $(STAMP) instance
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

## Mutation testing (not in CI; README "Mutation testing"): the ten named mutations, then
## mutmut over the money-critical modules against their fast tests (tens of minutes on 2
## cores); prints the score and every surviving mutant.
mutate: $(STAMP)
	$(BIN)/python scripts/named_mutations.py
	nice -n 10 $(BIN)/mutmut run --max-children 2 > /dev/null
	$(BIN)/python scripts/mutation_survivors.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

validate: $(STAMP)
	$(BIN)/dagster definitions validate -w workspace.yaml

## The Dagster UI on http://127.0.0.1:$(PORT) over the instance make sync writes to. It starts
## inside $(DAGSTER_HOME): started here, Dagster would warn that ./dagster.yaml is not used,
## which is not so (the instance's dagster.yaml is a link to it).
ui: $(STAMP) instance
	@cd "$(DAGSTER_HOME)" && CATALOG_DATA_DIR="$${CATALOG_DATA_DIR:-$(CURDIR)/data}" \
	  CATALOG_UI_BASE_URL="$${CATALOG_UI_BASE_URL:-http://127.0.0.1:$(PORT)}" \
	  PYTHONWARNINGS='ignore:Function `dev_command` is superseded:FutureWarning' \
	  "$(CURDIR)/$(BIN)/dagster" dev -w "$(CURDIR)/workspace.yaml" -h 127.0.0.1 -p $(PORT)

## The production stack on this machine (README "Production"). Offline: make stack STACK_ARGS="--replay recordings"
stack: $(STAMP)
	$(BIN)/python deploy/run_local_stack.py --dagster-home $(CURDIR)/data/dagster_prod_home --port $(PORT) $(STACK_ARGS)

## Only the end-to-end tests of the production stack (real processes, real PostgreSQL).
e2e: $(STAMP)
	$(BIN)/pytest -m e2e -p no:logging -q

clean:
	rm -rf data .pytest_cache mutants
