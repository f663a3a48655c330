# Each target works on a fresh machine with only Python 3.11: it creates .venv and
# installs the project (once; again only when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,chat]'  # chat: make run works without a token
	touch $(STAMP)

run: $(STAMP)
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ] || grep -qs '^TELEGRAM_BOT_TOKEN=.' .env; then \
		echo "TELEGRAM_BOT_TOKEN défini : démarrage du bot (mandat-bot run)."; \
		$(BIN)/mandat-bot run --migrate; \
	else \
		echo "Pas de TELEGRAM_BOT_TOKEN : mode local (mandat-bot chat), sans compte Telegram."; \
		$(BIN)/mandat-bot chat; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .

# The whole suite runs on SQLite files, then the tests that get a database (marked `pg` by
# tests/conftest.py) run again on a throwaway PostgreSQL server when the machine has one
# installed (.ci/postgres.sh says so clearly when it has not). Both runs are spread over
# two processes (pytest-xdist, -n 2): tests are independent (own databases, port 0, tmp_path).
PYTEST := $(BIN)/python -m pytest -n 2

test: $(STAMP)
	$(BIN)/ruff check .
	$(PYTEST)
	.ci/postgres.sh run $(PYTEST) -m pg

bench: $(STAMP)
	$(BIN)/python bench/answers.py
	$(BIN)/python bench/latency.py
	$(BIN)/python bench/fanout.py

clean:
	rm -rf $(VENV) data/*.db .pytest_cache
