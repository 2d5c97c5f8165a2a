#!/usr/bin/env bash
# Builds the Go tools the tests run, from the Go module proxy, into a cache keyed by version:
#   ${CLOCKWORK_CACHE:-~/.cache/clockwork}/helm-<v>/helm          Helm 4 (helm.sh/helm/v4, pinned in helm/go.mod)
#   ${CLOCKWORK_CACHE:-~/.cache/clockwork}/kstatus-<v>-<src>/kstatus   the kstatus reader (kstatus/main.go)
# A binary that already exists in the cache is never rebuilt. Prints the binary's path last.
# Usage: build.sh helm|kstatus [--print-path]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${CLOCKWORK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clockwork}
tool=${1:?usage: build.sh helm|kstatus [--print-path]}
module_version() { sed -n "s#^require $1 \(v[^ ]*\)\$#\1#p; s#^\t$1 \(v[^ ]*\)\$#\1#p" "$2" | head -1; }
case $tool in
  helm)
    version=$(module_version helm.sh/helm/v4 "$here/helm/go.mod")
    dir=$CACHE/helm-$version
    pkg=helm.sh/helm/v4/cmd/helm
    ldflags="-s -w -X helm.sh/helm/v4/internal/version.version=$version -X helm.sh/helm/v4/internal/version.gitTreeState=clean"
    ;;
  kstatus)
    # The program is ours: its source is part of the key, so an edit rebuilds it.
    src=$(cat "$here/kstatus/main.go" "$here/kstatus/go.sum" | sha256sum | cut -c1-12)
    version=$(module_version sigs.k8s.io/cli-utils "$here/kstatus/go.mod")+flux-$(module_version github.com/fluxcd/cli-utils "$here/kstatus/go.mod")
    dir=$CACHE/kstatus-$version-$src
    pkg=.
    ldflags="-s -w"
    ;;
  *) echo "build.sh: unknown tool $tool (helm or kstatus)" >&2; exit 2 ;;
esac
binary=$dir/$tool
if [[ ${2:-} == --print-path ]]; then echo "$binary"; exit 0; fi
if [[ -x $binary ]]; then echo "$binary"; exit 0; fi
command -v go >/dev/null || { echo "build.sh: go is not installed" >&2; exit 1; }
mkdir -p "$dir"
# One build per tool at a time (a second caller waits, then finds it cached).
exec 8>"$dir/.build.lock"
flock 8
if [[ ! -x $binary ]]; then
  start=$SECONDS
  echo "building $tool $version into $dir (go build, once)" >&2
  (cd "$here/$tool" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false nice -n 10 go build -trimpath -ldflags "$ldflags" -o "$binary.tmp" "$pkg")
  mv "$binary.tmp" "$binary"
  echo "built $tool in $((SECONDS - start))s ($(du -h "$binary" | cut -f1))" >&2
fi
echo "$binary"
