# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# What the program writes at run time lives in the state directory (ingest/settings.py), apart from data/.
STATE  := $(or $(WATCHDOG_STATE),state)
DB     := $(or $(WATCHDOG_DB),$(STATE)/watchdog.duckdb)
PORT   ?= 8501
PIP    := $(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes
INPUTS := $(shell find data -type f \( -name '*.csv' -o -name '*.txt' \)) \
          $(wildcard ingest/*.py ingest/*/*.py ingest/*/*.sql rules/*.py)

.PHONY: run test lint format data ingest bench venv dev lock clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    set up .venv (what running needs), build $(DB) from data/, serve http://127.0.0.1:$(PORT)"
	@echo "make test   add the test tools to .venv, run the lint, build the data, run the tests"
	@echo "make lint   ruff: lint and format check"
	@echo "make data   (re)build $(DB) when it is missing or older than the bundled inputs"
	@echo "make ingest fetch every live source (needs the internet), then rebuild $(DB)"
	@echo "make bench  run the benchmarks in bench/ and write bench/RESULTS.md"
	@echo "make lock   re-pin requirements.txt and requirements-dev.txt (with hashes) from pyproject.toml"

# requirements.txt (running) and requirements-dev.txt (running, tests, lint, bench) pin every package with
# its hashes, so that a fresh machine installs exactly what was tested.
venv: $(VENV)/.installed
dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) -r requirements-dev.txt
	touch $@

data: $(DB)

$(DB): $(VENV)/.installed $(INPUTS)
	$(BIN)/python -m ingest build --db $(DB)

run: data
	$(BIN)/python -m streamlit run dashboard/app.py --server.port $(PORT)

# Two workers, one per core; a module's tests stay on one worker, so its fixtures are made once.
test: lint data
	$(BIN)/python -m pytest -n 2 --dist loadscope

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

ingest: $(VENV)/.installed
	$(BIN)/python -m ingest run all --db $(DB)

# Then the public site: page loads against Datasette and a bare Streamlit app, and the bake's time and size.
bench: dev data
	$(BIN)/python -m bench.run
	$(BIN)/python -m bench.pages --write
	$(BIN)/python -m bench.bench_site --write

LOCK := $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
        --no-emit-find-links --upgrade
lock: venv
	$(BIN)/python -m pip install --quiet pip-tools
	$(LOCK) --output-file requirements.txt pyproject.toml
	$(LOCK) --extra dev --output-file requirements-dev.txt pyproject.toml

clean:
	rm -rf $(VENV) $(DB) .pytest_cache
