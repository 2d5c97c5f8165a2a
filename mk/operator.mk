# Shipping the operator (included by the main Makefile).
#   make image          docker build of the operator image (needs a registry for node:24-slim)
#   make image-local    the same image without any registry: Node 24 + the operator on a Debian
#                       root filesystem, `docker import` (what the tests run on the real-node cluster)
#   make kind-up / kind-load / install / uninstall / deploy-example   the kind workflow for users
IMAGE ?= clockwork/operator:0.1.0
KIND_CLUSTER ?= clockwork
KUBECTL ?= kubectl

.PHONY: image image-local kind-up kind-down kind-load install install-namespaced uninstall deploy-example

image: ## build the operator image (docker build, multi-stage, node:24-slim)
	docker build -t $(IMAGE) .

image-local: setup ## build the operator image without a registry (docker import; cached)
	OPERATOR_IMAGE=$(IMAGE) bash test/images/build-example-images.sh operator

kind-up: ## create a kind cluster for Clockwork
	kind create cluster --name $(KIND_CLUSTER)

kind-down: ## delete the kind cluster
	kind delete cluster --name $(KIND_CLUSTER)

kind-load: ## load the operator image into the kind cluster
	kind load docker-image $(IMAGE) --name $(KIND_CLUSTER)

install: ## install CRDs, RBAC and the operator (2 replicas, leader election) into clockwork-system
	$(KUBECTL) apply -k deploy/

install-namespaced: ## tenant install: the operator watches one namespace (NAMESPACE=...) with a Role
	cd deploy/namespaced && $(KUBECTL) kustomize . | sed 's/clockwork-tenant/$(or $(NAMESPACE),clockwork-tenant)/g' | $(KUBECTL) apply -f -

uninstall: ## remove the operator, its RBAC and the CRDs (and so every Resource and Composite)
	$(KUBECTL) delete -k deploy/ --ignore-not-found

deploy-example: setup ## apply the seed example to the current context and wait until it is Ready
	bin/clockwork apply examples/mixed-pattern/main.ts --target kubernetes
