# Clockwork. Every target runs on the Node 24 that `make setup` installs into node_modules
# (the machine's own Node may be older): node_modules/.bin comes first on PATH.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
NAMESPACE ?= default
CLOCKWORK := node $(CURDIR)/sdk/src/cli/main.ts

.PHONY: help setup demo test test-unit test-tools typecheck crds argocd-health clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

setup: node_modules/.setup-done ## install npm packages (Node 24 included)

node_modules/.setup-done: package.json package-lock.json
	npm ci --no-audit --no-fund
	@node -e 'const [major] = process.versions.node.split("."); if (Number(major) < 24) { console.error("expected Node 24 from node_modules, got " + process.version); process.exit(1) }'
	@touch $@

demo: setup ## run the seed example (examples/mixed-pattern) for real: TARGET=docker (default) or TARGET=kubernetes
	TARGET=$(or $(TARGET),docker) bash scripts/demo.sh

typecheck: setup api-service-deps ## type-check everything with tsc
	tsc -p tsconfig.json

crds: setup ## regenerate crds/ from the zod schemas
	node sdk/src/crd/write-crds.ts

test: setup api-service-deps test-tools cluster-build test-images go-tools ## every test: type-check, unit, integration (kwok cluster), end-to-end (real node + Docker)
	bash test/run-tests.sh $(TEST_PHASES)

test-unit: setup api-service-deps test-tools ## unit tests only (nothing started)
	bash test/run-tests.sh typecheck unit

test-tools: ## Debian packages the tests use (lua5.4 runs the Argo CD health check)
	@command -v lua5.4 >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends lua5.4; }

argocd-health: setup ## regenerate deploy/argocd/argocd-cm-patch.yaml from health.lua
	node deploy/argocd/render-patch.ts

clean: ## remove test results
	rm -rf .test-results

# Test infrastructure, example images and packaging targets live in mk/.
include $(sort $(wildcard mk/*.mk))
