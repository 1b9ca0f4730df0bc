# danvan: the two commands are `make chat` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: chat test check lint typecheck unit bench clean i18n catalogs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

chat: catalogs
	$(BIN)/danvan chat

test: check unit

check: lint typecheck

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/danvan flows lint flows
	$(BIN)/python -m bot.i18n.maintain check

typecheck: $(STAMP)
	$(BIN)/mypy

unit: catalogs
	$(BIN)/pytest

# Extract the strings of the code and the flows, merge them into every catalog, compile.
i18n: $(STAMP)
	$(BIN)/python -m bot.i18n.maintain update
	$(BIN)/python -m bot.i18n.maintain compile

# Compile the catalogs (.po to .mo), which the bot reads.
catalogs: $(STAMP)
	$(BIN)/python -m bot.i18n.maintain compile

bench: $(STAMP)
	$(BIN)/python bench/engine.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
