# The README's two commands: `make build` and `make test`. Both set up everything they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

# Debian packages each target needs (installed by scripts/system-deps.sh when missing).
BUILD_PACKAGES := libreoffice-writer fonts-noto-cjk fonts-liberation2 python3-uno \
  graphviz poppler-data
TEST_PACKAGES := poppler-utils chromium
BENCH_PACKAGES := pandoc
MATPLOTLIB := matplotlib==3.11.2

.PHONY: build test bench check schema clean lock system-deps-build system-deps-test

build: $(STAMP) system-deps-build
	$(BIN)/handbook check
	$(BIN)/handbook build

test: $(DEV_STAMP) system-deps-test
	$(BIN)/ruff check generator tests bench
	$(BIN)/python -m pytest --numprocesses=auto --maxprocesses=4

# By hand, not in CI: synthetic corpora of 100, 300 and 1,000 regulations (about half an hour).
bench: $(DEV_STAMP)
	@bash scripts/system-deps.sh $(BUILD_PACKAGES) $(BENCH_PACKAGES)
	$(BIN)/python -m pip install --quiet $(MATPLOTLIB)
	$(BIN)/python bench/run.py

check: $(STAMP)
	$(BIN)/handbook check

schema: $(STAMP)
	$(BIN)/handbook schema

# Runtime packages only (requirements.lock); `make test` adds the test tools
# (requirements-dev.lock). Both lock files pin every package with its hashes.
$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $(DEV_STAMP)

# By hand, after changing a range in pyproject.toml: pins every package with its hashes
# (existing pins are kept unless a range excludes them; delete a lock file to upgrade all).
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet pip-tools
	.venv-lock/bin/pip-compile --quiet --generate-hashes --strip-extras --no-emit-find-links \
	  --no-emit-index-url -o requirements.lock pyproject.toml
	.venv-lock/bin/pip-compile --quiet --generate-hashes --strip-extras --no-emit-find-links \
	  --no-emit-index-url --extra test -o requirements-dev.lock pyproject.toml

system-deps-build:
	@bash scripts/system-deps.sh $(BUILD_PACKAGES)

system-deps-test:
	@bash scripts/system-deps.sh $(BUILD_PACKAGES) $(TEST_PACKAGES)

clean:
	rm -rf build $(VENV) .venv-lock .pytest_cache .hypothesis
