# DGR – the two commands: `make run` (the app with demo data) and `make test` (everything CI checks).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export XDG_RUNTIME_DIR ?= /tmp

.PHONY: run test lint pytest bench install browser-deps messages clean-db

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PY) manage.py demo_data
	@echo ""
	@echo "DGR körs på http://127.0.0.1:$(PORT)/ – logga in med någon av användarna ovan."
	@echo ""
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian's chromium for the browser tests (never `playwright install`: no downloads at test time),
# poppler-utils to look at PDFs. Installed only when missing.
browser-deps:
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null || { \
		echo "Installing chromium and poppler-utils (Debian packages)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; }

PROD_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9) DJANGO_ALLOWED_HOSTS=dgr.example.se

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates */templates --lint --quiet
	$(VENV)/bin/lint-imports
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(PROD_ENV) $(PY) manage.py check --deploy --fail-level WARNING

pytest: install browser-deps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint pytest

bench: install
	$(PY) bench/run.py

messages: install
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l en --no-obsolete
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l en -i .venv
