# chatmon: two set-up commands (README): `make demo` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test model bench clean venv

# Fall back to python3 when no python3.11 binary is on PATH (pyenv machines call it python3).
PY := $(shell command -v $(PYTHON) 2>/dev/null || command -v python3)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,fast]'
	@touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/chatmon demo

test: $(STAMP)
	$(BIN)/python -m pytest

# Rebuild the shipped default model from data/labelled: a candidate in models/candidate/, its `live`
# default point chosen on the dev half of ../shared/eval (skipped without it), then promoted into
# models/default/ only if it is not worse on the check set (data/check/).
model: $(STAMP)
	$(BIN)/chatmon train data/labelled --out models/candidate
	$(BIN)/python notebooks/choose_default_point.py models/candidate
	$(BIN)/chatmon promote models/candidate

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,fast,bench]'
	@echo "Run a benchmark by hand, e.g.: $(BIN)/python bench/bench_classify.py --help"

clean:
	rm -rf $(VENV) out build *.egg-info .pytest_cache .hypothesis
