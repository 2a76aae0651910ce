# The two commands of the README, and a few helpers. Needs only python3.11, make and git.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo sample test lint lab bench bench-30m bench-import bench-night clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,lab]"
	touch $(STAMP)

setup: $(STAMP)

## The embedded default: build the synthetic national program into data/demo.duckdb,
## render the reports of wave 2026-03 and its mailings (in mailings/, apart from the
## reports) and print where index.html and the mailings are.
demo: $(STAMP)
	$(BIN)/endorse-analysis demo --db data/demo.duckdb --out reports --wave 2026-03

## The small hand-made program: load it into data/sample.duckdb and print its tallies.
sample: $(STAMP)
	$(BIN)/endorse-analysis load data/sample --db data/sample.duckdb
	$(BIN)/endorse-analysis tally --db data/sample.duckdb --wave 2026-03
	$(BIN)/endorse-analysis tally --db data/sample.duckdb --wave 2026-04

## Every test: the suite in tests/, and each notebook executed against the sample (nbval).
test: $(STAMP)
	$(BIN)/python -m pytest -q --nbval-lax tests notebooks

## Lint and formatting: ruff's rules, code exactly as `ruff format` would write it, and the
## README's generated tables as docs/generate.py writes them.
lint: $(STAMP)
	$(BIN)/ruff check src tests bench docs/generate.py
	$(BIN)/ruff format --check src tests bench docs/generate.py
	$(BIN)/python docs/generate.py --check

## JupyterLab on notebooks/ for the analyst (docs/analysts.md). ENDORSE_DB defaults to the
## demo database, built first (without rendering reports) when it is missing. Its settings
## (root allowed, nothing fetched, committed notebooks saved without outputs) are in
## notebooks/lab_config.py.
lab: $(STAMP)
	@if [ -z "$$ENDORSE_DB" ] && [ ! -f data/demo.duckdb ]; then \
		$(BIN)/endorse-analysis demo --db data/demo.duckdb --no-render; fi
	ENDORSE_DB="$${ENDORSE_DB:-$(CURDIR)/data/demo.duckdb}" $(BIN)/jupyter lab \
		--notebook-dir=notebooks --config=notebooks/lab_config.py

clean:
	rm -rf $(VENV) reports data/*.duckdb data/demo-csv

## The benchmark suite (issue 6): figures in bench/out/*.json, table in BENCHMARKS.md.
bench: $(STAMP)
	$(BIN)/python bench/run.py --votes 1000000 --members 500000 --json bench/out/small.json
	$(BIN)/python bench/run.py --votes 10000000 --members 5000000 --no-render --json bench/out/large.json
	$(BIN)/python bench/markdown.py bench/out/small.json bench/out/large.json \
		--growth bench/out/small.json bench/out/large.json $(wildcard bench/out/load30m.json)
	$(MAKE) bench-night

## The night the vote closes (issue 29): ActionKit in a private MariaDB (needs
## mariadb-server) → import → load → reports of the whole wave → verify, each step beside
## its floor; the table and growth chart in BENCHMARKS.md. At 10M without MariaDB and pages
## (the fill alone takes minutes; a page does not depend on the scale).
bench-night: $(STAMP)
	$(BIN)/python bench/night.py --votes 1000000 --members 500000 --jobs 2 \
		--json bench/out/night-1m.json
	$(BIN)/python bench/night.py --votes 10000000 --members 5000000 --jobs 2 --repeat 1 \
		--json bench/out/night-10m.json
	$(BIN)/python bench/night.py --markdown bench/out/night-1m.json bench/out/night-10m.json

## Optional: the load and its floor at 30M votes (about 3.5 GB of CSV); make bench then
## adds it to the growth table.
bench-30m: $(STAMP)
	$(BIN)/python bench/run.py --votes 30000000 --members 15000000 --load-only --repeat 1 \
		--json bench/out/load30m.json

## The ActionKit import of 5M users and 10M actions beside the plain read of the same rows,
## on a private MariaDB server (needs mariadb-server); figures in BENCHMARKS.md.
bench-import: $(STAMP)
	$(BIN)/python bench/import_bench.py --votes 10000000 --members 5000000 --json bench/out/import.json
