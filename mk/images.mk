# Example images built without any container registry (included by the main Makefile).
#   make images            build, cached, the images examples/mixed-pattern runs with:
#                            clockwork-local/prometheus:2.42       (Debian's prometheus; for prom/prometheus:v2.53.4)
#                            clockwork-local/postgres:15           (Debian's postgresql-15; for postgres:16.4)
#                            clockwork-examples/api-service:0.1.0  (Node 24 + examples/mixed-pattern/api-service)
#                          and write the image map to $(CLOCKWORK_IMAGES_CACHE)/image-map.env. Use it with
#                            set -a; . $(CLOCKWORK_IMAGES_CACHE)/image-map.env; set +a   (CLOCKWORK_IMAGE_MAP)
#                          or  clockwork apply examples/mixed-pattern/main.ts --image-map prom/prometheus:v2.53.4=clockwork-local/prometheus:2.42 ...
#   make images FORCE=1    rebuild them (and the cached Debian root filesystem)
#   make api-service-deps  npm ci for the example app (pg, prom-client)
CLOCKWORK_IMAGES_CACHE ?= $(HOME)/.cache/clockwork/images
export CLOCKWORK_IMAGES_CACHE
API_SERVICE_DIR := examples/mixed-pattern/api-service

.PHONY: images api-service-deps

api-service-deps: $(API_SERVICE_DIR)/node_modules/.package-lock.json

$(API_SERVICE_DIR)/node_modules/.package-lock.json: $(API_SERVICE_DIR)/package.json $(API_SERVICE_DIR)/package-lock.json
	cd $(API_SERVICE_DIR) && npm ci --no-audit --no-fund
	@touch $@

images: setup api-service-deps ## build the example's images from Debian packages, no registry needed (cached; FORCE=1 rebuilds)
	bash test/images/build-example-images.sh $(if $(FORCE),--force)
