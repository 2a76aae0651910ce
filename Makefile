# The two commands of the README, and a few helpers. Needs only python3.11, make and git.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo sample test lint lab bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,lab]"
	touch $(STAMP)

setup: $(STAMP)

## The embedded default: build the sample into data/sample.duckdb and print its tally.
sample: $(STAMP)
	$(BIN)/endorse-analysis load data/sample --db data/sample.duckdb
	$(BIN)/endorse-analysis tally --db data/sample.duckdb --wave 2026-03
	$(BIN)/endorse-analysis tally --db data/sample.duckdb --wave 2026-04

demo: sample

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

clean:
	rm -rf $(VENV) reports data/*.duckdb
