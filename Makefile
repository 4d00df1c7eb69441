# The two commands that matter: `make demo` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DBT := $(BIN)/dbt
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DAGSTER_HOME ?= $(CURDIR)/data/dagster_home

DEMO_CUSTOMERS ?= 20000
CI_CUSTOMERS ?= 2000
SEED ?= 42

.PHONY: help venv demo ui report bench bench-freshness bench-identity test lint lint-sql lint-python dbt-ci pytest pytest-engines pytest-core generate-dev generate-ci evaluate train-matching profile clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

# uv installs the pinned set in well under a minute where pip takes three (it resolves, downloads and
# unpacks in parallel); it is itself installed with pip, pinned, and is not a dependency of the project.
UV_VERSION := 0.13.9

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION) 2>&1 | { grep -v -e 'is ignored: it is neither' || true; }
	$(BIN)/uv pip install --quiet --python $(BIN)/python -c requirements.lock -e '.[dev]'
	@touch $@

venv: $(STAMP) ## create .venv and install pinned dependencies (only when they changed)

# Samples are regenerated when the generator or the landing contract changes.
GENERATOR := $(shell find sample/cdp_sample -name '*.py') $(wildcard models/staging/*/_*__sources.yml)

data/dev/landing/.complete: $(STAMP) $(GENERATOR)
	rm -rf data/dev/landing data/dev/truth
	$(BIN)/cdp-generate --customers $(DEMO_CUSTOMERS) --seed $(SEED) --out data/dev

data/ci/landing/.complete: $(STAMP) $(GENERATOR)
	rm -rf data/ci/landing data/ci/truth
	$(BIN)/cdp-generate --customers $(CI_CUSTOMERS) --seed $(SEED) --out data/ci

generate-dev: data/dev/landing/.complete ## generate the demo sample (DEMO_CUSTOMERS customers)
generate-ci: data/ci/landing/.complete ## generate the small CI sample

demo: venv generate-dev ## set up, generate sample data, build, check and sync everything through Dagster, print a summary
	$(BIN)/python -m cdp_orchestration.demo --target dev

ui: venv generate-dev ## the Dagster UI on http://127.0.0.1:3000 (dev target; local fake destinations on :8787)
	$(BIN)/python -m cdp_orchestration.ui --target dev

report: venv ## static HTML report of the identity run and segment sizes: data/dev/report.html (after make demo)
	$(BIN)/python -m cdp_orchestration.report --target dev

# The dbt templater compiles every model against an empty DuckDB file of its own (run_query calls in models
# find no tables and fall back), so linting needs no sample and runs beside the build.
lint-sql: venv
	@mkdir -p data/lint/ci
	CDP_DATA_DIR=data/lint $(BIN)/sqlfluff lint models tests

lint-python: venv
	$(BIN)/ruff check sample orchestration tests bench
	$(BIN)/ruff format --check sample orchestration tests bench

lint: lint-sql lint-python ## sqlfluff and ruff

dbt-ci: venv generate-ci
	$(DBT) build --target ci --full-refresh

# pytest in two halves that run side by side: the engine checks (Spark, the Snowflake emulation) and the rest.
ENGINES := spark or snowflake
pytest: pytest-engines pytest-core ## pytest (after the CI build)

pytest-engines: dbt-ci
	$(BIN)/pytest -m "$(ENGINES)" --durations=10

pytest-core: dbt-ci
	$(BIN)/pytest -m "not ($(ENGINES))" --durations=10

# Lint (single-threaded, on its own empty warehouse) runs beside the build and then beside the two pytest
# halves: three jobs, so that neither half waits for the lint to free a slot (it takes about 3.5 minutes).
test: venv generate-ci ## set up and run every check: lint, dbt build (with unit tests) on ci, pytest
	$(MAKE) --no-print-directory -k -j3 --output-sync=target lint pytest-engines pytest-core

evaluate: venv ## identity accuracy against the ground truth: as built, rules only, strict, loose, and Splink alone; TARGET=dev
	$(BIN)/cdp-evaluate --target $(or $(TARGET),dev) --variants deterministic,strict,loose --splink

train-matching: venv ## estimate the probabilistic-matching parameters with Splink on a built target (TARGET=dev); appends to seeds/matching_parameters.csv
	$(BIN)/cdp-train-matching --target $(or $(TARGET),dev)

profile: venv ## print one unified customer profile: make profile EMAIL=... (or PHONE=..., CUSTOMER_ID=...)
	$(BIN)/cdp-profile --target $(or $(TARGET),dev) \
		$(if $(EMAIL),--email "$(EMAIL)") $(if $(PHONE),--phone "$(PHONE)") $(if $(CUSTOMER_ID),--customer-id "$(CUSTOMER_ID)")

SCALE ?= 100000
bench: venv ## end-to-end benchmark: full + incremental build of SCALE customers (~12 rows each); bench/results/
	$(BIN)/python bench/run_benchmark.py --customers $(SCALE)

bench-freshness: venv ## landing -> ESP latency of a micro-batch through the sensor and the full build job, on SCALE customers; bench/results/
	$(BIN)/python bench/freshness.py --customers $(SCALE)

bench-identity: venv ## connected components against Splink and scipy (10M-node forest, paths); bench/results/
	$(BIN)/python bench/connected_components.py

clean: ## remove generated data, dbt artefacts and the virtual environment
	rm -rf data target dbt_packages logs $(VENV)
