# StepStudio. `make run` on a fresh machine, `make test` before you push.
# Recipes are idempotent: the virtualenv and the installed requirements are only (re)built
# when missing or when a requirements file changed.

PYTHON3 ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
MANAGE  := $(PY) manage.py

.PHONY: run test test-rabbitmq worker install install-dev chromium migrate js-client-install

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

# The AWS SDK for JavaScript v3 that tests/clients/test_js_sdk.py drives: npm ci from its
# lockfile, again only when the lockfile changes.
JS_CLIENT_DIR   := tests/clients/js
JS_CLIENT_STAMP := $(JS_CLIENT_DIR)/node_modules/.ci-stamp

$(JS_CLIENT_STAMP): $(JS_CLIENT_DIR)/package-lock.json $(JS_CLIENT_DIR)/package.json
	cd $(JS_CLIENT_DIR) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

js-client-install: $(JS_CLIENT_STAMP)

test: install-dev chromium js-client-install
	@if [ -f designer/frontend/frontend.mk ]; then $(MAKE) --no-print-directory frontend-test; fi
	$(PY) -m pytest -n $${TEST_PROCESSES:-2} --dist loadfile

# The runtime on RabbitMQ (docs/operations.md, "RabbitMQ as the broker"): the whole runtime
# suite (tests/engine/runtime, its fault tests included) and the metrics endpoint, on the same
# real workers, on quorum queues with publisher confirms. Two processes like `make test`, each
# in a vhost of its own (<vhost>_gw<n>, tests/parallel_env.py); every vhost is created here
# and deleted after the run, whatever its outcome. Needs rabbitmqctl (run where the broker is).
ifndef RABBITMQ_VHOST
RABBITMQ_VHOST := stepstudio_test_$(shell date +%s%N)
endif
RABBITMQ_URL ?= amqp://guest:guest@127.0.0.1:5672/$(RABBITMQ_VHOST)
RUNTIME_ON_RABBITMQ := tests/engine/runtime tests/engine/metrics/test_metrics_endpoint.py

test-rabbitmq: install-dev
	@n=$${TEST_PROCESSES:-2}; vhosts="$(RABBITMQ_VHOST)"; \
	for i in $$(seq 0 $$((n - 1))); do vhosts="$$vhosts $(RABBITMQ_VHOST)_gw$$i"; done; \
	trap 'for v in $$vhosts; do rabbitmqctl -q delete_vhost $$v >/dev/null 2>&1; done' EXIT; \
	for v in $$vhosts; do \
	  rabbitmqctl -q add_vhost $$v && rabbitmqctl -q set_permissions -p $$v guest ".*" ".*" ".*" \
	    || exit 1; \
	done; \
	echo "RabbitMQ vhosts: $$vhosts"; \
	CELERY_BROKER_URL=$(RABBITMQ_URL) $(PY) -m pytest -n $$n --dist loadfile $(RUNTIME_ON_RABBITMQ)

-include designer/frontend/frontend.mk
