# Go-built tools the tests run (included by the main Makefile), built from the Go module proxy by
# test/tools/build.sh and cached in ~/.cache/clockwork/<tool>-<version>/ like the cluster binaries:
#   make go-tools   Helm 4 (helm.sh/helm/v4, pinned in test/tools/helm/go.mod; ~10 min cold) and the
#                   kstatus reader (test/tools/kstatus: sigs.k8s.io/cli-utils and fluxcd/cli-utils)
.PHONY: go-tools

go-tools: ## build helm and the kstatus reader from their Go modules (cached)
	nice -n 10 bash test/tools/build.sh kstatus
	nice -n 10 bash test/tools/build.sh helm
