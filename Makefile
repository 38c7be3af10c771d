# apcase — the two commands that matter: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_PASSWORD ?= apcase-demo-2026
PYTEST_ARGS ?= -n 2 --dist loadgroup

.PHONY: run test worker lint lock bench migrate demo clean venv

## Every installed package comes from the hashed lock file, with the pip the venv brings.
$(VENV)/.installed: requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit("apcase needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --require-hashes -r requirements-dev.lock
	touch $@

venv: $(VENV)/.installed

migrate: venv
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo --password "$(DEMO_PASSWORD)"

## Set up and serve the demo on SQLite at http://127.0.0.1:8000 (no other services needed).
run: demo
	@echo "Serving http://127.0.0.1:8000 — press Ctrl+C to stop."
	DJANGO_DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

## The whole suite. Exit code 5 (no tests collected) is a failure.
test: venv
	$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$status

## A Celery worker with exactly one embedded beat (needs REDIS_URL).
worker: venv
	@if [ -z "$$REDIS_URL" ]; then echo "REDIS_URL is not set: without a broker tasks run in-process and reminders go out with 'manage.py dispatch_reminders'."; exit 1; fi
	$(VENV)/bin/celery -A apcase worker --beat --loglevel INFO --concurrency 2

## Style, formatting, migrations in step with the models, the one-way layers, types (docs/typing.md).
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy .

## Recompile the hashed lock files after editing requirements.in or requirements-dev.in.
lock: venv
	$(PY) -m pip install -q pip-tools
	$(VENV)/bin/pip-compile -q --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock requirements.in
	$(VENV)/bin/pip-compile -q --generate-hashes --strip-extras --no-emit-index-url --no-emit-find-links \
		--output-file requirements-dev.lock requirements-dev.in

bench: venv
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) staticfiles var/*.sqlite3*
