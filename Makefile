# One place for the commands README documents; CI runs `make lint` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install run test lint check bench chromium clean

# The venv is rebuilt when the dependencies change.
$(BIN)/dccs: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/dccs

run: install
	$(BIN)/dccs db upgrade
	$(BIN)/dccs serve --demo

# Browser tests drive Debian's chromium; Playwright's own browser download cannot work here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

test: install chromium
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

check: lint test

bench: install
	$(BIN)/python bench/faq_bench.py

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
