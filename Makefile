# The README's two commands: `make build` and `make test`. Both set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Debian packages each target needs (installed by scripts/system-deps.sh when missing).
BUILD_PACKAGES := libreoffice-writer fonts-noto-cjk fonts-liberation2 python3-uno \
  fonts-arphic-uming graphviz poppler-data
TEST_PACKAGES := poppler-utils chromium
BENCH_PACKAGES := pandoc
MATPLOTLIB := matplotlib==3.11.2

.PHONY: build test bench check schema clean system-deps-build system-deps-test

build: $(STAMP) system-deps-build
	$(BIN)/handbook check
	$(BIN)/handbook build

test: $(STAMP) system-deps-test
	$(BIN)/ruff check generator tests bench
	$(BIN)/python -m pytest

# By hand, not in CI: synthetic corpora of 100, 300 and 1,000 regulations (about half an hour).
bench: $(STAMP)
	@bash scripts/system-deps.sh $(BUILD_PACKAGES) $(BENCH_PACKAGES)
	$(BIN)/python -m pip install --quiet $(MATPLOTLIB)
	$(BIN)/python bench/run.py

check: $(STAMP)
	$(BIN)/handbook check

schema: $(STAMP)
	$(BIN)/handbook schema

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

system-deps-build:
	@bash scripts/system-deps.sh $(BUILD_PACKAGES)

system-deps-test:
	@bash scripts/system-deps.sh $(BUILD_PACKAGES) $(TEST_PACKAGES)

clean:
	rm -rf build $(VENV) .pytest_cache .hypothesis
