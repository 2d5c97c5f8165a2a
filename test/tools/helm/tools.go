//go:build tools

// Package tools pins Helm so `go build helm.sh/helm/v4/cmd/helm` builds the version the tests use.
package tools

import _ "helm.sh/helm/v4/cmd/helm"
