# leafpress: `make leaflets` builds every leaflet, `make test` runs every test, `make lint` checks the code.
# Each sets up what is missing first (system packages, .venv, the package), once.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Rebuilt only when the dependencies or the set-up script change.
STAMP := $(VENV)/.leafpress-installed
# npm writes this file on every install: when node_modules is removed, the set-up runs again.
NODE_STAMP := node_modules/.package-lock.json
# Two workers by default: the suite is mostly PDF builds, and each worker is one core.
TEST_WORKERS ?= 2

.PHONY: leaflets test setup bench lint clean

leaflets: $(STAMP) $(NODE_STAMP)
	$(BIN)/python generate.py

test: $(STAMP) $(NODE_STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --durations=10

setup: $(STAMP) $(NODE_STAMP)

$(STAMP): pyproject.toml constraints.txt scripts/setup-system.sh
	bash scripts/setup-system.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,preview,html-check]'
	# The syllable table in the user's cache (built on first use otherwise): the first build is not slowed.
	$(BIN)/python -c "from leafpress.checks.readability.syllables import load_syllable_table; load_syllable_table()"
	touch $(STAMP)

$(NODE_STAMP): package-lock.json scripts/setup-system.sh
	bash scripts/setup-system.sh
	npm ci --no-audit --no-fund --silent

bench: $(STAMP) $(NODE_STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/check_bench.py
	$(BIN)/python bench/preview_latency.py

lint: $(STAMP)
	$(BIN)/ruff check leafpress tests bench generate.py
	$(BIN)/ruff format --check leafpress tests bench generate.py
	$(BIN)/mypy leafpress
	$(BIN)/lint-imports

clean:
	rm -rf output/*.pdf output/*.html output/*.txt
