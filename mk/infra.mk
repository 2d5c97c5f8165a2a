# Test infrastructure targets (included by the main Makefile).
#   make cluster-build                 build k8s 1.36 / etcd / kwok / coredns into ~/.cache/clockwork (cached)
#   make cluster-up [PROFILE=kwok|real] start a local cluster; state in $(CLOCKWORK_CLUSTER_DIR) (default .cluster/)
#   make cluster-down                  stop it, remove processes/mounts/bridge/iptables rules it created
#   make cluster-status                component health
#   make cluster-fault ACTION=stop COMPONENT=kube-apiserver
#   make cluster-import-image IMAGE=name:tag   load a local docker image into the real node
#   make docker-up                     start a Docker engine (installs docker.io when missing)
#   make test-images                   build clockwork-test/busybox:1 and clockwork-test/pause:1
PROFILE ?= kwok
CLOCKWORK_CLUSTER_DIR ?= $(CURDIR)/.cluster
export CLOCKWORK_CLUSTER_DIR

.PHONY: cluster-build cluster-up cluster-down cluster-status cluster-fault cluster-import-image docker-up test-images

cluster-build:
	nice -n 10 bash test/cluster/build.sh

cluster-up: cluster-build $(if $(filter real,$(PROFILE)),test-images)
	bash test/cluster/cluster.sh up $(PROFILE)
	@echo "export KUBECONFIG=$(CLOCKWORK_CLUSTER_DIR)/kubeconfig"

cluster-down:
	bash test/cluster/cluster.sh down

cluster-status:
	bash test/cluster/cluster.sh status

cluster-fault:
	bash test/cluster/cluster.sh fault $(ACTION) $(COMPONENT)

cluster-import-image:
	bash test/cluster/cluster.sh import-image $(IMAGE)

docker-up:
	bash test/docker/docker-up.sh

test-images: docker-up
	bash test/docker/build-test-images.sh
