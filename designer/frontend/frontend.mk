# Designer front end. Included by the top Makefile; paths are relative to the repo root.
#   make frontend-build   npm ci (when the lockfile changed) + type check + vite build into static/designer/
#   make frontend-test    vitest, then rebuild into a scratch directory and compare byte for byte
#                         with the committed static/designer/ (the build must be reproducible)

FRONTEND_DIR    := designer/frontend
FRONTEND_STATIC := static/designer
FRONTEND_STAMP  := $(FRONTEND_DIR)/node_modules/.ci-stamp
FRONTEND_NPM    := cd $(FRONTEND_DIR) && npm

.PHONY: frontend-install frontend-build frontend-test frontend-check-build frontend-check-embed

# npm ci only from the lockfile and the registry; rerun when the lockfile changes.
$(FRONTEND_STAMP): $(FRONTEND_DIR)/package-lock.json $(FRONTEND_DIR)/package.json
	$(FRONTEND_NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

frontend-install: $(FRONTEND_STAMP)

frontend-build: frontend-install
	$(FRONTEND_NPM) exec -- tsc --noEmit -p .
	$(FRONTEND_NPM) exec -- vite build --logLevel warn
	$(FRONTEND_NPM) exec -- vite build -c vite.embed.config.ts --logLevel warn

# The embeddable graph (docs/embed.md): its own classic script in static/embed/.
frontend-check-embed: frontend-install
	@out=$$(mktemp -d) && \
	(cd $(FRONTEND_DIR) && npm exec -- vite build -c vite.embed.config.ts --logLevel warn --outDir "$$out" --emptyOutDir) && \
	if diff -r "$$out" static/embed >/dev/null; then \
	  echo "static/embed/ matches a fresh build"; rm -rf "$$out"; \
	else \
	  echo "static/embed/ differs from a fresh build: run 'make frontend-build' and commit it" >&2; \
	  rm -rf "$$out"; exit 1; \
	fi

# Rebuild into a private scratch directory (other checkouts may run this at the same time).
frontend-check-build: frontend-install
	@out=$$(mktemp -d) && \
	(cd $(FRONTEND_DIR) && npm exec -- vite build --logLevel warn --outDir "$$out" --emptyOutDir) && \
	if diff -r "$$out" $(FRONTEND_STATIC) >/dev/null; then \
	  echo "static/designer/ matches a fresh build"; rm -rf "$$out"; \
	else \
	  echo "static/designer/ differs from a fresh build: run 'make frontend-build' and commit it" >&2; \
	  diff -rq "$$out" $(FRONTEND_STATIC) >&2; rm -rf "$$out"; exit 1; \
	fi

frontend-test: frontend-install
	$(FRONTEND_NPM) exec -- tsc --noEmit -p .
	$(FRONTEND_NPM) exec -- vitest run
	$(MAKE) --no-print-directory frontend-check-build
	$(MAKE) --no-print-directory frontend-check-embed
