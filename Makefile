# leafpress: `make leaflets` builds every leaflet, `make test` runs every test.
# Both set up what is missing first (system packages, .venv, the package), once.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Rebuilt only when the dependencies or the set-up script change.
STAMP := $(VENV)/.leafpress-installed

.PHONY: leaflets test setup bench lint clean

leaflets: $(STAMP)
	$(BIN)/python generate.py

test: $(STAMP)
	$(BIN)/python -m pytest

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup-system.sh package-lock.json
	bash scripts/setup-system.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	npm ci --no-audit --no-fund --silent
	touch $(STAMP)

bench: $(STAMP)
	$(BIN)/python bench/run.py
	$(BIN)/python bench/check_bench.py
	$(BIN)/python bench/preview_latency.py

lint: $(STAMP)
	$(BIN)/ruff check leafpress tests bench generate.py

clean:
	rm -rf output/*.pdf output/*.html output/*.txt
