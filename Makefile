# StepStudio. `make run` on a fresh machine, `make test` before you push.
# Recipes are idempotent: the virtualenv and the installed requirements are only (re)built
# when missing or when a requirements file changed.

PYTHON3 ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
MANAGE  := $(PY) manage.py

.PHONY: run test worker install install-dev chromium migrate

# Does `manage.py <command>` exist? (the runtime engineer's `workflows` is optional here)
has_command = $(MANAGE) help $(1) >/dev/null 2>&1

$(PY):
	$(PYTHON3) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.requirements: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.requirements-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.requirements

install: $(VENV)/.requirements
install-dev: $(VENV)/.requirements-dev

migrate: install
	$(MANAGE) migrate --noinput

# Web server + worker + scheduler on http://127.0.0.1:$${PORT:-8000}; Ctrl+C stops all.
# The login comes first: the samples are owned by the first superuser.
run: migrate
	@$(MANAGE) createlogin
	@if $(call has_command,workflows); then $(MANAGE) workflows load-samples; fi
	$(MANAGE) serve

# What a worker machine runs: Celery worker (+ the timer scheduler), configured by the env.
worker: install
	$(MANAGE) serve --no-web

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; \
	  else \
	    echo "browser tests need /usr/bin/chromium: sudo apt-get install -y chromium" >&2; \
	    if [ "$${CI:-}" = true ]; then exit 1; fi; \
	  fi; \
	fi

test: install-dev chromium
	@if [ -f designer/frontend/frontend.mk ]; then $(MAKE) --no-print-directory frontend-test; fi
	$(PY) -m pytest

-include designer/frontend/frontend.mk
