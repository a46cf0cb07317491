# Designer front end. Included by the top Makefile; paths are relative to the repo root.
#   make frontend-build   npm ci (when the lockfile changed) + type check + vite build into static/designer/
#   make frontend-test    vitest, then rebuild into a scratch directory and compare byte for byte
#                         with the committed static/designer/ (the build must be reproducible)

FRONTEND_DIR    := designer/frontend
FRONTEND_STATIC := static/designer
FRONTEND_STAMP  := $(FRONTEND_DIR)/node_modules/.ci-stamp
FRONTEND_NPM    := cd $(FRONTEND_DIR) && npm
FRONTEND_CHECK  := $(or $(TMPDIR),/tmp)/stepstudio-designer-rebuild

.PHONY: frontend-install frontend-build frontend-test frontend-check-build

# npm ci only from the lockfile and the registry; rerun when the lockfile changes.
$(FRONTEND_STAMP): $(FRONTEND_DIR)/package-lock.json $(FRONTEND_DIR)/package.json
	$(FRONTEND_NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

frontend-install: $(FRONTEND_STAMP)

frontend-build: frontend-install
	$(FRONTEND_NPM) exec -- tsc --noEmit -p .
	$(FRONTEND_NPM) exec -- vite build --logLevel warn

frontend-check-build: frontend-install
	rm -rf $(FRONTEND_CHECK)
	$(FRONTEND_NPM) exec -- vite build --logLevel warn --outDir $(FRONTEND_CHECK) --emptyOutDir
	@diff -r $(FRONTEND_CHECK) $(FRONTEND_STATIC) >/dev/null || { \
	  echo "static/designer/ differs from a fresh build: run 'make frontend-build' and commit it" >&2; \
	  diff -rq $(FRONTEND_CHECK) $(FRONTEND_STATIC) >&2; exit 1; }
	@echo "static/designer/ matches a fresh build"
	rm -rf $(FRONTEND_CHECK)

frontend-test: frontend-install
	$(FRONTEND_NPM) exec -- tsc --noEmit -p .
	$(FRONTEND_NPM) exec -- vitest run
	$(MAKE) --no-print-directory frontend-check-build
