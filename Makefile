# KPI Portal: `make demo` to try it, `make test` to run the whole suite, `make lint` to check
# style and types (ruff, then mypy on kpi_portal/ indicators/ reports/, see pyproject.toml).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_ENV = DEBUG=0 SECRET_KEY="$$(cat var/secret_key)" SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0 \
  SECURE_HSTS_PRELOAD=0 EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend \
  TASKS_BACKEND=django.tasks.backends.immediate.ImmediateBackend
HOST ?= 127.0.0.1
PORT ?= 8000
# Two pytest-xdist workers, each with its own test database (test_<name>_gw0, _gw1).
# `make test PYTEST_WORKERS=` runs in one process.
PYTEST_WORKERS ?= -n 2

.PHONY: demo test lint format bench venv clean-demo chaos screenshots

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || \
	  { echo "KPI Portal needs Python 3.12 or newer (Django 6); '$(PYTHON)' is $$($(PYTHON) --version 2>&1). Install 3.12 or run: make PYTHON=python3.12 ..."; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

var/secret_key:
	mkdir -p var
	$(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key

demo: $(STAMP) var/secret_key
	$(DEMO_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEMO_ENV) $(BIN)/python manage.py load_demo
	$(DEMO_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	@echo ""
	@echo "KPI Portal: http://$(HOST):$(PORT)/   (administration: http://$(HOST):$(PORT)/admin/)"
	@echo "Demo logins, password 'demo': reporter5030, reporter0100, auditor, manager, admin"
	@echo ""
	$(DEMO_ENV) $(BIN)/gunicorn kpi_portal.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

test: $(STAMP)
	@mkdir -p var
	@url=$$($(BIN)/python scripts/test_database_url.py) || exit 1; \
	DATABASE_URL="$$url" $(BIN)/python manage.py makemigrations --check --dry-run --settings=tests.settings >/dev/null || \
	  { echo "Model changes without migrations: run manage.py makemigrations"; exit 1; }; \
	DATABASE_URL="$$url" $(BIN)/pytest $(PYTEST_WORKERS) --durations=15 $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests"; exit 1; fi; exit $$status

# The browser tests again, keeping their screenshots in docs/screenshots/ to look at and commit.
screenshots: $(STAMP)
	@url=$$($(BIN)/python scripts/test_database_url.py) || exit 1; \
	KPI_SCREENSHOTS=docs/screenshots DATABASE_URL="$$url" $(BIN)/pytest -m browser $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# `make bench SCALE=100000` runs on its own database (kpi_bench_100k), generated on first use.
SCALE ?= 30000
bench: $(STAMP)
	BENCH_SCALE=$(SCALE) $(BIN)/python benchmarks/run.py

# Restarts and freezes a PostgreSQL cluster of its own (never the shared one) under load and
# kills the worker mid-book; prints a table. Needs root (initdb runs as postgres). Not in CI.
chaos: $(STAMP)
	$(BIN)/python scripts/chaos.py

clean-demo:
	rm -f var/kpi_portal.sqlite3
