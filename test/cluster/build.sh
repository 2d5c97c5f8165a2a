#!/usr/bin/env bash
# Builds the test-cluster binaries from source into a cache keyed by version:
#   ${CLOCKWORK_CACHE:-~/.cache/clockwork}/kubernetes-<v>/{kube-apiserver,...,kubectl}
#   .../etcd-<v>/etcd  .../kwok-<v>/kwok  .../kwok-<v>/stages-<key>.yaml  .../coredns-<v>/coredns
#   .../local-path-provisioner-<v>/local-path-provisioner
# A binary that already exists in the cache is never rebuilt.
# Usage: build.sh [--print-dirs]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=versions.env
. "$here/versions.env"
CACHE=${CLOCKWORK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/clockwork}
K8S_BIN=$CACHE/kubernetes-$K8S_VERSION
ETCD_BIN=$CACHE/etcd-$ETCD_VERSION
KWOK_BIN=$CACHE/kwok-$KWOK_VERSION
COREDNS_BIN=$CACHE/coredns-$COREDNS_VERSION
LOCAL_PATH_BIN=$CACHE/local-path-provisioner-$LOCAL_PATH_PROVISIONER_VERSION
# The stages file is named after its inputs (this repo's extra stages, the kwok version and the
# assembly below, STAGES_RECIPE), so checkouts with different stages never overwrite each other's.
STAGES_RECIPE=2
KWOK_STAGES=$KWOK_BIN/stages-$(cat "$here"/kwok/*.yaml <(echo "$KWOK_VERSION $STAGES_RECIPE") | sha256sum | cut -c1-12).yaml
if [[ ${1:-} == --print-dirs ]]; then
  printf 'K8S_BIN=%s\nETCD_BIN=%s\nKWOK_BIN=%s\nKWOK_STAGES=%s\nCOREDNS_BIN=%s\nLOCAL_PATH_BIN=%s\n' \
    "$K8S_BIN" "$ETCD_BIN" "$KWOK_BIN" "$KWOK_STAGES" "$COREDNS_BIN" "$LOCAL_PATH_BIN"
  exit 0
fi
command -v go >/dev/null || { echo "build.sh: go is not installed" >&2; exit 1; }
export CGO_ENABLED=${CGO_ENABLED:-0} GOFLAGS="${GOFLAGS:-} -buildvcs=false -trimpath"
ldflags='-s -w'
mkdir -p "$CACHE"
# One build at a time per cache (a second caller waits, then finds everything cached).
exec 8>"$CACHE/.build.lock"
flock 8
# A dir whose .build-rev differs holds binaries of an older recipe: they are rebuilt and replaced
# atomically (mv), so clusters running from them are not disturbed. Read under the lock: a caller
# that waited for a cold build must see the revision that build wrote, not rebuild it all again.
declare -A stale=()
for d in "$K8S_BIN" "$ETCD_BIN" "$KWOK_BIN" "$COREDNS_BIN"; do
  mkdir -p "$d"
  if [[ $(cat "$d/.build-rev" 2>/dev/null) != "$BUILD_REV" ]]; then stale[$d]=1; fi
done
total_start=$SECONDS
built=0

# build NAME DEST-FILE COMMAND... : runs COMMAND unless DEST-FILE exists, times it.
build() {
  local name=$1 dest=$2; shift 2
  if [[ -x $dest && -z ${stale[$(dirname "$dest")]:-} ]]; then
    printf '%-26s cached  %s\n' "$name" "$dest"
    return
  fi
  local t0=$SECONDS
  printf '%-26s building ...\n' "$name"
  "$@"
  [[ -x $dest ]] || { echo "build.sh: $name did not produce $dest" >&2; exit 1; }
  printf '%-26s built in %4ds  %s (%s)\n' "$name" $((SECONDS - t0)) "$dest" "$(du -h "$dest" | cut -f1)"
  built=$((built + 1))
}

# Version stamping as in kubernetes' hack/lib/version.sh (otherwise they report v0.0.0-master).
minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
k8s_ldflags="$ldflags"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  k8s_ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  k8s_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z -X $pkg.gitCommit=$K8S_VERSION"
done
k8s_build() { # k8s_build CMD
  local tmp="$K8S_BIN/.$1.tmp"
  (cd "$here" && go build -ldflags "$k8s_ldflags" -o "$tmp" "k8s.io/kubernetes/cmd/$1") && mv "$tmp" "$K8S_BIN/$1"
}
for c in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl; do
  build "$c $K8S_VERSION" "$K8S_BIN/$c" k8s_build "$c"
done

etcd_build() {
  (cd "$here/etcd" && go build -ldflags "$ldflags" -o "$ETCD_BIN/.etcd.tmp" .) && mv "$ETCD_BIN/.etcd.tmp" "$ETCD_BIN/etcd"
}
build "etcd $ETCD_VERSION" "$ETCD_BIN/etcd" etcd_build

gobin_install() { # gobin_install DIR PKG@VERSION
  local dir=$1 pkg=$2 tmpbin="$1/.gobin"
  rm -rf "$tmpbin" && mkdir -p "$tmpbin"
  GOBIN=$tmpbin go install -ldflags "$ldflags" "$pkg"
  mv "$tmpbin"/* "$dir"/ && rmdir "$tmpbin"
}
build "kwok $KWOK_VERSION" "$KWOK_BIN/kwok" gobin_install "$KWOK_BIN" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
# kwok's general Pod stages (no default delay/jitter) + fast node-initialize + heartbeat-with-lease
# + this repo's stages (kwok/*.yaml: pod-exit, a failing run-once Pod). The general stages
# complete run-once Pods (owned by a Job) with exit code 0 (pod-complete).
kwok_stages() {
  local dir out="$KWOK_STAGES" f
  dir=$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  {
    for f in "$dir"/kustomize/stage/pod/general/*.yaml; do
      [[ $(basename "$f") == kustomization.yaml ]] && continue
      echo "---"
      sed -E -e 's/^(\s*)durationMilliseconds: [0-9]+/\1durationMilliseconds: 0/' -e '/^\s*jitterDurationMilliseconds:/d' "$f"
    done
    for f in "$dir"/kustomize/stage/node/fast/node-initialize.yaml "$dir"/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml "$here"/kwok/*.yaml; do
      echo "---"; cat "$f"
    done
  } >"$out.tmp"
  chmod +x "$out.tmp" && mv "$out.tmp" "$out"
}
build "kwok stages" "$KWOK_STAGES" kwok_stages
build "coredns $COREDNS_VERSION" "$COREDNS_BIN/coredns" gobin_install "$COREDNS_BIN" "github.com/coredns/coredns@$COREDNS_VERSION"
# The real node's volume provisioner, in a directory of its own version (not subject to BUILD_REV).
mkdir -p "$LOCAL_PATH_BIN"
build "local-path-provisioner $LOCAL_PATH_PROVISIONER_VERSION" "$LOCAL_PATH_BIN/local-path-provisioner" \
  gobin_install "$LOCAL_PATH_BIN" "github.com/rancher/local-path-provisioner@$LOCAL_PATH_PROVISIONER_VERSION"

for d in "${!stale[@]}"; do echo "$BUILD_REV" >"$d/.build-rev"; done
echo "build.sh: $built built, total $((SECONDS - total_start))s; cache $CACHE"
