# One entry point: `make run` for the demo site, `make test` for the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test two-nodes lint format bench bench-web bench-load lighthouse install install-dev createsuperuser clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# The site and a task worker, on SQLite, with the demo content loaded once. DEBUG=0 by default,
# so missing pages and errors look as readers see them (tracebacks go to this terminal); run
# `make run DEBUG=1` for Django's debug pages. Mail is saved in ./outbox/, one file a message.
DEBUG ?= 0
SECRET_KEY ?= make-run-on-this-machine-only-not-a-secret
OUTBOX ?= outbox
RUN_ENV = DEBUG=$(DEBUG) SECRET_KEY='$(SECRET_KEY)' EMAIL_OUTBOX=$(OUTBOX) SITE_URL=http://$(HOST):$(PORT)

run: $(VENV)/.installed
	$(RUN_ENV) $(PY) manage.py migrate --noinput -v0
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(RUN_ENV) $(PY) manage.py load_demo
	@if [ -t 0 ] && ! $(RUN_ENV) $(PY) manage.py welcome --has-staff; then \
	  echo "No staff account yet: create one now to sign in at /admin/ (Ctrl-C skips)."; \
	  $(RUN_ENV) $(PY) manage.py createsuperuser || true; \
	fi
	@$(RUN_ENV) $(PY) manage.py db_worker & worker=$$!; \
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT) & server=$$!; \
	trap 'kill $$worker $$server 2>/dev/null' EXIT INT TERM; \
	until $(PY) -c "import urllib.request as u; u.urlopen('http://$(HOST):$(PORT)/healthz', timeout=1)" 2>/dev/null; do \
	  kill -0 $$server 2>/dev/null || exit 1; sleep 0.5; \
	done; \
	$(RUN_ENV) $(PY) manage.py welcome --url http://$(HOST):$(PORT)/; \
	wait $$server

# A staff account for the admin, in the same settings as `make run` (no DEBUG juggling).
createsuperuser: $(VENV)/.installed
	$(RUN_ENV) $(PY) manage.py migrate --noinput -v0
	$(RUN_ENV) $(PY) manage.py createsuperuser

# The whole suite: SQLite unless DATABASE_URL is set. Browser tests use /usr/bin/chromium.
test: $(VENV)/.installed-dev
	$(PY) -m pytest $(PYTEST_ARGS)

# Two gunicorn nodes behind the shipped nginx, on one PostgreSQL and one Redis (tests/test_nodes.py;
# needs DATABASE_URL=postgres://…, nginx and redis-server). Part of `make test` on PostgreSQL too.
two-nodes: $(VENV)/.installed-dev
	@case "$$DATABASE_URL" in postgres*) ;; *) echo "make two-nodes needs DATABASE_URL=postgres://..."; exit 2;; esac
	$(PY) -m pytest tests/test_nodes.py -v $(PYTEST_ARGS)

# ruff, and which way the apps' imports may go (the contracts in pyproject.toml).
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/hadolint Dockerfile

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(VENV)/.installed-dev
	@for script in bench/bench_*.py; do \
		[ $$script = bench/bench_load.py ] && continue; \
		echo "== $$script"; $(PY) $$script || exit 1; done

# The load check: mixed traffic and moderation against gunicorn and nginx (DURATION seconds).
DURATION ?= 300
bench-load: $(VENV)/.installed-dev
	$(PY) bench/bench_load.py --duration $(DURATION)

# The production setup under load (gunicorn, Django's cache, nginx); needs wrk and nginx.
bench-web: $(VENV)/.installed-dev
	$(PY) bench/web.py

# Lighthouse 12 (mobile) on home, an article with comments, a category and the comment form's
# error page, against gunicorn with DEBUG=0 and the demo; needs node/npm and Chromium.
lighthouse: $(VENV)/.installed
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) bench/lighthouse.py $(LIGHTHOUSE_ARGS)

clean:
	rm -rf $(VENV) staticfiles outbox .pytest_cache .ruff_cache .import_linter_cache
