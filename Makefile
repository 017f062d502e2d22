# The README's two commands: `make build` and `make test`. Both set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Debian packages each target needs (installed by scripts/system-deps.sh when missing).
BUILD_PACKAGES := libreoffice-writer fonts-noto-cjk python3-uno fonts-arphic-uming graphviz
TEST_PACKAGES := poppler-utils chromium

.PHONY: build test check schema clean system-deps-build system-deps-test

build: $(STAMP) system-deps-build
	$(BIN)/handbook check
	$(BIN)/handbook build

test: $(STAMP) system-deps-test
	$(BIN)/ruff check generator tests
	$(BIN)/python -m pytest

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
