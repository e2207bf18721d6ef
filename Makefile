# Two commands: `make run` brings up the whole stack; `make test` runs every check and test.
# Both need only Python 3.11 on the machine: they create .venv and start embedded PostgreSQL and
# Redis under var/ unless DATABASE_URL / REDIS_URL are set.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
export DJANGO_SETTINGS_MODULE := rcm.settings
export PYTHONUNBUFFERED := 1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run setup services data test check lint pytest stop destroy chromium bench load mutation clean

run: setup data
	@$(BIN)/python manage.py demo_logins --url http://127.0.0.1:$(PORT)/
	PORT=$(PORT) RCM_INSECURE_HTTP=1 $(BIN)/honcho start -f Procfile

# --- environment -------------------------------------------------------------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes: the second `make run` is fast.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed services
	$(BIN)/python manage.py migrate --no-input -v 0

services: $(VENV)/.installed
	@$(BIN)/python -m rcm.embedded start

data: setup
	$(BIN)/python manage.py load_codesets
	$(BIN)/python manage.py import_ncci --load-shipped
	$(BIN)/python manage.py codes reindex --if-missing
	$(BIN)/python manage.py load_demo

stop:
	@$(BIN)/python -m rcm.embedded stop

destroy:
	@$(BIN)/python -m rcm.embedded destroy

# --- checks ------------------------------------------------------------------------------------
test: setup chromium lint pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

pytest: $(VENV)/.installed
	$(BIN)/pytest --create-db $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium; Playwright's own browser download cannot work offline.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || { echo "could not install chromium"; exit 1; }; \
	  else \
	    echo "Browser tests need Chromium at $(CHROMIUM): apt-get install chromium (or set CHROMIUM=)"; exit 1; \
	  fi; \
	fi

bench: setup
	@for script in bench/bench_*.py; do [ -e "$$script" ] || continue; echo "== $$script"; $(BIN)/python "$$script" || exit 1; done

# Load test (by hand): gunicorn on a free 127.0.0.1 port with the demo data, 50 locust users, 60 s.
load: data
	@[ -x "$(BIN)/locust" ] || $(BIN)/pip install --quiet -r requirements-bench.txt
	$(BIN)/python bench/load/run.py $(LOAD_ARGS)

# Mutation testing (docs/TESTING.md), run by hand, never by `make test`: mutmut mutates rcm/x12
# (against tests/x12), claims/state.py (tests/claims) and denials/posting.py (tests/denials and
# tests/claims), each in its own copy under var/mutation/<module>/, one mutant at a time (the
# machine is shared), with its own test database. `make mutation MODULES=state` runs one.
MODULES ?= state posting x12
MUTATION_CHILDREN ?= 1
$(VENV)/.installed-bench: requirements-bench.txt requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

mutation: $(VENV)/.installed-bench services
	$(BIN)/python -m bench.mutation $(MODULES) --max-children $(MUTATION_CHILDREN)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache mutants var/mutation
