# danvan: the two commands are `make chat` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK_VENV := .venv-constraints

.PHONY: chat test check lint typecheck unit bench clean i18n catalogs constraints

# Installs exactly the versions pinned in constraints.txt (CI and the Docker image do the same).
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

# Pin again: the newest versions pyproject.toml's bounds allow, installed in a fresh venv.
constraints:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/python -m pip install --quiet -e '.[dev]'
	{ echo "# Every package danvan and its tests install, pinned. Regenerate: make constraints"; \
	  $(LOCK_VENV)/bin/python -m pip freeze --exclude-editable; } > constraints.txt
	rm -rf $(LOCK_VENV)

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
	rm -rf $(VENV) $(LOCK_VENV) .mypy_cache .pytest_cache .ruff_cache
