//go:build tools

// Package tools pins docker compose so `go build github.com/docker/compose/v2/cmd` builds it.
package tools

import _ "github.com/docker/compose/v2/cmd"
