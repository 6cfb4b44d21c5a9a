# Quick start: `make demo` builds the sample article; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/kg build examples/us-hezbollah-ceasefire.txt -o output --force
	$(BIN)/kg query output/graph.trig who-did-what --param entity=Israel

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/carb.py ../shared/bench/carb/dev_sentences.txt output/carb-dev.tsv --score ../shared/bench/carb/dev_gold.tsv

clean:
	rm -rf $(VENV) output/graph.* .pytest_cache
