# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DB     := $(or $(WATCHDOG_DB),data/watchdog.duckdb)
PORT   ?= 8501
INPUTS := $(shell find data -type f \( -name '*.csv' -o -name '*.txt' \)) \
          $(wildcard ingest/*.py ingest/*/*.py ingest/migrations/*.sql)

.PHONY: run test data ingest bench venv clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    set up .venv, build $(DB) from data/, serve http://127.0.0.1:$(PORT)"
	@echo "make test   set up .venv, build the data, run the tests"
	@echo "make data   (re)build $(DB) when it is missing or older than the bundled inputs"
	@echo "make ingest fetch every live source (needs the internet), then rebuild $(DB)"
	@echo "make bench  run the benchmarks in bench/ and write bench/RESULTS.md"

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

data: $(DB)

$(DB): $(VENV)/.installed $(INPUTS)
	$(BIN)/python -m ingest build --db $(DB)

run: data
	$(BIN)/python -m streamlit run dashboard/app.py --server.port $(PORT)

test: data
	$(BIN)/python -m pytest

ingest: $(VENV)/.installed
	$(BIN)/python -m ingest run all --db $(DB)

bench: data
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) $(DB) .pytest_cache
