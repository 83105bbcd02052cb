# Set-up and checks. `make demo` and `make test` each work on a fresh machine with Python 3.10+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
# The browser tests drive Debian's chromium (never a downloaded build); installing it needs root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo) env DEBIAN_FRONTEND=noninteractive

.PHONY: demo test chromium bench-grid bench-functions bench-explorer

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

demo: $(BIN)/python
	$(PIP) install -e ".[all]"
	$(BIN)/gradkit demo

# torch is pinned to the CPU build this machine kind keeps on disk; any other version pulls gigabytes.
# JAX (a CPU build, ~100 MB) is installed for the tests of JAX arrays and functions written with JAX.
test: $(BIN)/python chromium
	$(PIP) install "torch==2.13.0" "jax==0.10.2"
	$(PIP) install -e ".[all,test]"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	GRADKIT_REQUIRE_BROWSER=1 $(BIN)/python -m pytest

chromium:
	@test -x /usr/bin/chromium || $(SUDO) apt-get install -y -qq chromium || \
		($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium)

bench-grid: $(BIN)/python
	$(PIP) install "torch==2.13.0"
	$(PIP) install -e ".[all,bench]"
	$(BIN)/python benchmarks/grid.py

bench-functions: $(BIN)/python
	$(PIP) install "torch==2.13.0" "jax==0.10.2"
	$(PIP) install -e ".[all,bench]"
	$(BIN)/python benchmarks/functions.py

bench-explorer: $(BIN)/python
	$(PIP) install -e ".[all,test]"
	$(BIN)/python benchmarks/explorer.py
