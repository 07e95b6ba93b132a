# F_BRAIN backend — every command of CONTRACT.md §1.
#
# Only Python 3.11 and make are assumed. Poetry is bootstrapped into .tools/poetry (its own venv,
# never the project's), and the project's dependencies go into .venv from the committed poetry.lock.

PYTHON      ?= python3.11
PORT        ?= 8000
TOOLS       := .tools
POETRY_VERSION := 2.5.1
POETRY      := $(TOOLS)/poetry/bin/poetry
VENV        := .venv
BIN         := $(VENV)/bin
STAMP       := $(VENV)/.installed
MANAGE      := $(BIN)/python manage.py

export POETRY_VIRTUALENVS_IN_PROJECT := true
export POETRY_VIRTUALENVS_PREFER_ACTIVE_PYTHON := false
export POETRY_NO_INTERACTION := 1
export PYTHONDONTWRITEBYTECODE := 1

DOTENV      ?= .env

# `make run` and the pieces it starts are the development set-up: debug on, embedded defaults.
# Each long-running piece is started with `exec`: make forwards SIGTERM to its child, which must
# be the server itself, not a shell that would die and leave the server running.
RUN_ENV := env PATH="$(abspath $(BIN)):$$PATH" DJANGO_DEBUG=$${DJANGO_DEBUG:-true} PORT=$(PORT)

.DEFAULT_GOAL := help
.PHONY: help install run demo web worker beat migrate superuser test test-unit lint format bench clean

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# Poetry and its export plugin (Poetry 2 has no built-in `export`), pinned. The stamp names both
# versions, so an older .tools/poetry (without the plugin, or another version) is brought up to date
# in place; it is order-only so that a new stamp alone does not force `poetry sync` to run again.
POETRY_EXPORT_VERSION := 1.10.1
POETRY_TOOLS_STAMP := $(TOOLS)/poetry/.installed-poetry-$(POETRY_VERSION)-export-$(POETRY_EXPORT_VERSION)

$(POETRY): | $(POETRY_TOOLS_STAMP)

$(POETRY_TOOLS_STAMP):
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11 ...'" >&2; exit 2; }
	@test -x $(TOOLS)/poetry/bin/python || $(PYTHON) -m venv $(TOOLS)/poetry
	$(TOOLS)/poetry/bin/python -m pip install --quiet --upgrade pip
	$(TOOLS)/poetry/bin/python -m pip install --quiet "poetry==$(POETRY_VERSION)" "poetry-plugin-export==$(POETRY_EXPORT_VERSION)"
	@touch $@

$(STAMP): $(POETRY) pyproject.toml poetry.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(POETRY) sync --all-groups
	@touch $(STAMP)

# A checkout is a development machine (docs/decisions/): a .env that turns debug on, with a key of
# its own. Written once; yours to edit. The Docker image and compose files never read it.
$(DOTENV):
	@umask 077 && printf '%s\n' \
	  '# Development settings of this checkout, written once by `make install`; edit freely (git ignores it).' \
	  '# Never read by the Docker image, the compose files or the tests (they set DJANGO_ENV_FILE empty).' \
	  'DJANGO_DEBUG=true' \
	  "DJANGO_SECRET_KEY=django-insecure-$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  '# Place search falls back to the offline GeoNames cities (a development dependency) when Open-Meteo cannot be reached.' \
	  'WEATHER_GEOCODERS=open-meteo,geonames' \
	  > $@
	@echo "make: wrote $@ (development settings: DJANGO_DEBUG=true, a generated secret key, the offline geocoder fallback)"

install: $(STAMP) $(DOTENV) ## create .venv, install the locked dependencies, write a development .env (idempotent)

# One definition of the export: update-poetry-lock.sh and tests/integration/test_requirements.py
# both run this target (the test with REQUIREMENTS=<a temporary file>).
REQUIREMENTS ?= requirements.txt
.PHONY: requirements
requirements: $(POETRY) ## export poetry.lock's main dependencies to requirements.txt (pinned, hashed)
	$(POETRY) export --only main --format requirements.txt --output $(REQUIREMENTS)

migrate: install ## apply database migrations
	$(MANAGE) migrate --noinput

run: install ## migrate, then web + Celery worker + beat on the embedded defaults (Ctrl-C stops all)
	$(RUN_ENV) $(MANAGE) migrate --noinput
	exec $(RUN_ENV) $(BIN)/python -m server_config.supervisor Procfile.dev

# `run` against the browser tests' stand-in Open-Meteo (tests/browser/demo.py), offline.
demo: install ## `run` against the browser tests' stand-in Open-Meteo, Samara tracked (DEMO_STUB_PORT=8765)
	exec $(RUN_ENV) $(BIN)/python -m tests.browser.demo

web: install ## the web server alone
	exec $(RUN_ENV) $(MANAGE) runserver 0.0.0.0:$(PORT)

worker: install ## a Celery worker alone
	exec $(RUN_ENV) $(BIN)/celery -A server_config.celery worker

beat: install ## Celery beat alone
	exec $(RUN_ENV) $(BIN)/celery -A server_config.celery beat

superuser: migrate ## migrate, then create a superuser from DJANGO_SUPERUSER_USERNAME/EMAIL/PASSWORD
	$(MANAGE) create_superuser_from_env

# Two test processes (pytest-xdist), each given whole files so that a module's started servers
# serve all its tests: the suite mostly waits for servers and workers to start, and two overlap.
TEST_PROCESSES ?= 2
test: install ## the whole test suite (PostgreSQL/RabbitMQ/Redis runs when TEST_DATABASE_URL/TEST_BROKER_URL/TEST_CACHE_URL are set)
	$(BIN)/pytest --cov --cov-report=term --numprocesses $(TEST_PROCESSES) --dist loadfile $(PYTEST_ARGS)

test-unit: install ## the fast, framework-free tests only
	$(BIN)/pytest tests/unit -p no:django -m unit $(PYTEST_ARGS)

lint: install ## ruff (lint + format check), mypy, import-linter
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SECRET_KEY=type-checking-only $(BIN)/mypy .
	$(BIN)/lint-imports

format: install ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Babel alone, no GNU gettext: the committed .mo works on a fresh machine with only Python
# (docs/decisions/0015-message-catalogues-compiled-and-committed.md).
.PHONY: messages
messages: install ## extract every text to translate into locale/fr/…/django.po, compile django.mo
	$(BIN)/python locale/catalogues.py

.PHONY: pre-commit
pre-commit: install ## install the git hook that runs make lint's checks before each commit
	$(BIN)/pre-commit install

.PHONY: screenshots
screenshots: install ## refresh docs/screenshots/ (the location page, English and French) in Chromium
	SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest tests/browser/test_location_page.py -k screenshots -p no:cacheprovider -rs $(PYTEST_ARGS)

bench: install ## the benchmarks under benchmarks/, printing their figures
	$(BIN)/python -m benchmarks

clean: ## remove the virtual environments and local state
	rm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache var
