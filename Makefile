# One target per step; CI (.ci/run) runs the same targets a developer runs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

# The demo: SQLite and in-process tasks unless DATABASE_URL / REDIS_URL are set. HOST and
# PORT reach the settings too, so e-mailed links (SITE_URL) point where the demo serves.
DEMO_ENV := DJANGO_DEBUG=1 ANHORIGSTOD_STAFF_MFA_REQUIRED=$${ANHORIGSTOD_STAFF_MFA_REQUIRED:-0} HOST=$(HOST) PORT=$(PORT)

.PHONY: run test test-fast lint format messages bench install system-deps clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

node_modules/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP)

system-deps:
	bash scripts/system-deps.sh

run: $(STAMP)
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py seed_demo
	@echo "\nServing on http://$(HOST):$(PORT)/  (Ctrl-C stops)\n"
	$(DEMO_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite: unit, integration, PostgreSQL/Redis/worker tests (when DATABASE_URL
# and REDIS_URL are set) and the browser tests.
test: $(STAMP) node_modules/.stamp system-deps
	$(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

# Everything but the browser tests, for the edit-test loop.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not e2e" $(PYTEST_ARGS)

lint: $(STAMP) system-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/mypy .
	$(PY) scripts/check_messages.py

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint templates --reformat --quiet || true

# Update the Swedish catalogue from the source strings, then compile it.
messages: $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l sv --no-obsolete --ignore .venv --ignore node_modules --ignore tests
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l sv --ignore .venv

# Sizes and repeats: make bench BENCH_ARGS="--talks 1000000 --repeat 200" (see bench/run.py --help).
bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .mypy_cache .ruff_cache
