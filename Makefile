# Simpul: `make run` serves the platform, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PORT ?= 8000

.PHONY: run test lint format install setup messages clean bench

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Migrate, load Kaltim's regions and the demo data; safe to run again.
setup: install
	DEBUG=1 $(MANAGE) migrate --noinput -v0
	DEBUG=1 $(MANAGE) createcachetable
	DEBUG=1 $(MANAGE) import_regions
	DEBUG=1 $(MANAGE) load_demo

run: setup
	PORT=$(PORT) bin/run-dev

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Needs GNU gettext (msgfmt, xgettext); the compiled .mo files are committed.
# Shared templates, accounts, regions and core translate in locale/; the domain
# apps in their own <app>/locale/.
LOCALE_APPS := network factcheck connectivity datahub newsroom channels
messages: install
	$(MANAGE) makemessages -l id --ignore=.venv --ignore=node_modules --ignore=var \
		--ignore=bench --ignore=staticfiles $(foreach a,$(LOCALE_APPS),--ignore=$(a))
	for a in $(LOCALE_APPS); do (cd $$a && ../$(PY) ../manage.py makemessages -l id) || exit 1; done
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

bench: install
	@for f in bench/[!_]*.py; do echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) node_modules staticfiles
