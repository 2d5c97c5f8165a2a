# Clockwork. Every target runs on the Node 24 that `make setup` installs into node_modules
# (the machine's own Node may be older): node_modules/.bin comes first on PATH.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
NAMESPACE ?= default
CLOCKWORK := $(CURDIR)/bin/clockwork


.PHONY: help setup build install-cli demo test test-unit test-tools typecheck crds argocd-health clean dashboard

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

setup: node_modules/.setup-done build ## install npm packages (Node 24 included) and build

# The precompiled JavaScript that bin/clockwork and the operator image run (dist/, gitignored).
# Every target that runs the CLI or the operator depends on it, so dist/ is never older than the sources.
build: dist/.built ## compile sdk/src and operator/src to JavaScript (dist/)

dist/.built: node_modules/.setup-done tsconfig.json tsconfig.build.json $(shell find sdk/src operator/src -name '*.ts' 2>/dev/null)
	tsc -p tsconfig.build.json
	@touch $@

PREFIX ?= $(HOME)/.local
install-cli: setup ## link the clockwork command into $(PREFIX)/bin (default ~/.local/bin): no npx, Node 24 whatever node is on PATH
	mkdir -p $(PREFIX)/bin
	ln -sfn $(CURDIR)/bin/clockwork $(PREFIX)/bin/clockwork
	@echo "linked $(PREFIX)/bin/clockwork -> $(CURDIR)/bin/clockwork"

node_modules/.setup-done: package.json package-lock.json
	npm ci --no-audit --no-fund
	@node -e 'const [major] = process.versions.node.split("."); if (Number(major) < 24) { console.error("expected Node 24 from node_modules, got " + process.version); process.exit(1) }'
	@touch $@

demo: setup dashboard ## run the seed example (examples/mixed-pattern) for real: TARGET=docker (default) or TARGET=kubernetes
	TARGET=$(or $(TARGET),docker) bash scripts/demo.sh

typecheck: setup api-service-deps ## type-check everything with tsc (the dashboard page has its own tsconfig: DOM, JSX)
	tsc -p tsconfig.json
	tsc -p sdk/src/dashboard-ui/tsconfig.json

# The dashboard page, bundled by esbuild (scripts/build-dashboard.ts); rebuilt when its sources change.
DASHBOARD_SOURCES := $(wildcard sdk/src/dashboard-ui/*) sdk/src/dashboard/dashboard-model.ts scripts/build-dashboard.ts
dashboard: build/dashboard/app.js ## bundle the dashboard page into build/dashboard/ (esbuild; no CDN, nothing fetched at run time)

build/dashboard/app.js: node_modules/.setup-done $(DASHBOARD_SOURCES)
	node scripts/build-dashboard.ts

crds: setup ## regenerate crds/ from the zod schemas
	node sdk/src/crd/write-crds.ts

test: setup api-service-deps test-tools dashboard cluster-build test-images go-tools ## every test: type-check, unit, integration (kwok cluster), end-to-end (real node + Docker)
	bash test/run-tests.sh $(TEST_PHASES)

test-unit: setup api-service-deps test-tools dashboard ## unit tests only (nothing started)
	bash test/run-tests.sh typecheck unit

test-tools: ## Debian packages the tests use (lua5.4 runs the Argo CD health check; chromium runs the dashboard's browser tests)
	@command -v lua5.4 >/dev/null && command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends lua5.4 chromium; }

argocd-health: setup ## regenerate deploy/argocd/argocd-cm-patch.yaml from health.lua
	node deploy/argocd/render-patch.ts

clean: ## remove test results and the built dashboard page
	rm -rf .test-results build

# Test infrastructure, example images and packaging targets live in mk/.
include $(sort $(wildcard mk/*.mk))
