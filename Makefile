# Set-up and checks. `make demo` and `make test` each work on a fresh machine with Python 3.10+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check

.PHONY: demo test bench-grid bench-functions

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

demo: $(BIN)/python
	$(PIP) install -e ".[all]"
	$(BIN)/gradkit demo

# torch is pinned to the CPU build this machine kind keeps on disk; any other version pulls gigabytes.
test: $(BIN)/python
	$(PIP) install "torch==2.13.0"
	$(PIP) install -e ".[all]"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

bench-grid: $(BIN)/python
	$(PIP) install "torch==2.13.0"
	$(PIP) install -e ".[all,bench]"
	$(BIN)/python benchmarks/grid.py

bench-functions: $(BIN)/python
	$(PIP) install "torch==2.13.0"
	$(PIP) install -e ".[all,bench]"
	$(BIN)/python benchmarks/functions.py
