# The two commands of the README: `make serve` and `make test`. Everything else is a helper of theirs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: serve test install quick lint bench js translations catalogues

install: $(VENV)/.installed js catalogues

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

# The compiled catalogues (.mo) Flask-Babel reads; they are built, never committed.
catalogues: $(VENV)/.installed
	$(BIN)/pybabel compile -d confman/translations

# After changing a wrapped string: extract every message, merge them into each catalogue, compile (README,
# "Translations"). New entries arrive untranslated; tests/test_translations.py fails until French has them.
translations:
	$(BIN)/pybabel extract -F babel.cfg -k _l --ignore-dirs '.*' --sort-output --add-location=file --no-wrap \
	  -o confman/translations/messages.pot .
	$(BIN)/pybabel update -i confman/translations/messages.pot -d confman/translations --no-fuzzy-matching \
	  --ignore-obsolete --no-wrap
	$(BIN)/pybabel compile -d confman/translations

# Test-only: Thunderbird's ical.js, to read our calendar feeds as a calendar app does (skipped without node).
js:
	@if command -v npm >/dev/null 2>&1; then \
	  [ tests/js/node_modules/.package-lock.json -nt tests/js/package-lock.json ] || \
	  (cd tests/js && npm ci --no-audit --no-fund --loglevel=error); \
	else echo "npm is not installed: the ical.js round-trip tests will be skipped"; fi

# Install, migrate the SQLite database in instance/, load the PrepCon sample and the demo event dated around today
# (a second `make serve` re-dates the demo), and serve them. Links in mail point to this host and port.
serve: export CONFMAN_ENV := development
serve: export CONFMAN_BASE_URL ?= http://$(HOST):$(PORT)
serve: install
	$(BIN)/confman db upgrade
	$(BIN)/confman demo
	@echo
	@echo "  confman is serving the demo event (dated around today) at $$CONFMAN_BASE_URL/events/demo/"
	@echo "  and the PrepCon 2021 sample at $$CONFMAN_BASE_URL/events/prepcon-2021/"
	@echo "  Log in with the sample accounts above (password: prepcon-sample), or ask for a sign-in link."
	@echo "  No mail server is configured (CONFMAN_SMTP_URL): every message, with its sign-in link, is"
	@echo "  printed in full to this console. Stop with Ctrl-C."
	@echo
	$(BIN)/confman run --host $(HOST) --port $(PORT)

# The whole suite: SQLite always, PostgreSQL and headless Chromium when present (it says when not).
test: install
	$(BIN)/python scripts/run_tests.py

# A developer's quick subset: no browser, no PostgreSQL, no slow packaging checks.
quick: install
	$(BIN)/python -m pytest -q -m "not browser and not postgres and not slow" -p no:randomly

lint: install
	$(BIN)/ruff check confman tests bench scripts

bench: install
	$(BIN)/python -m bench
