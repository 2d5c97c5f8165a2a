#!/usr/bin/env bash
# `make demo`: the seed example (examples/mixed-pattern) as working software.
#   TARGET=docker (default when no cluster answers): the local Docker engine.
#   TARGET=kubernetes: the real-node test cluster (started here), with the operator running.
# No registry is needed: images that cannot be pulled are built from Debian packages
# (`make images`) and substituted through CLOCKWORK_IMAGE_MAP; the CLI prints each substitution.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${TARGET:-docker}
STACK=examples/mixed-pattern/main.ts
clockwork() { bin/clockwork "$@"; }

step_started=0
step() { step_started=$(date +%s.%N); printf '\n== %s\n' "$*"; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
done_step() { printf '   (%s s)\n' "$(elapsed "$step_started")"; }
total_started=$(date +%s.%N)

step "Docker engine"
bash test/docker/docker-up.sh >/dev/null
done_step

step "Example images (cached after the first run)"
make --no-print-directory images
# The official images when they can be had; otherwise the local equivalents, through the map.
official_ok=true
for image in prom/prometheus:v2.53.4 postgres:16.4; do
  docker image inspect "$image" >/dev/null 2>&1 || timeout 60 docker pull -q "$image" >/dev/null 2>&1 || official_ok=false
done
if $official_ok; then
  echo "   using the official images"
else
  echo "   the official images cannot be pulled here: substituting the local equivalents"
  set -a; . "${CLOCKWORK_IMAGES_CACHE:-$HOME/.cache/clockwork/images}/image-map.env"; set +a
fi
done_step

case "$TARGET" in
  docker)
    step "clockwork apply $STACK --target docker"
    clockwork apply "$STACK" --target docker --timeout 240
    done_step

    step "clockwork assert $STACK --target docker"
    clockwork assert "$STACK" --target docker
    done_step

    cat <<MSG

The stack is running. Try the seed's own checks:
  curl http://localhost:9090/-/healthy
  curl http://localhost:8000/health
  curl http://localhost:8000/metrics
  curl -X POST -H 'content-type: application/json' -d '{"name":"first"}' http://localhost:8000/items
  curl http://localhost:9090/api/v1/targets        (api-service:8000 is "up" after a scrape)
  open http://localhost:9090/classic/targets        (the local Prometheus 2.42 image's targets page)

Status:   npx clockwork status $STACK --target docker
Watch it: npx clockwork dashboard $STACK --target docker   (a live page on http://127.0.0.1:18400/)
Develop:  npx clockwork dev $STACK --target docker         (keeps it converged, applies each save; Ctrl-C leaves it running)
Logs:     npx clockwork logs $STACK --target docker -f
Remove:   npx clockwork destroy $STACK --target docker   (keeps the data: add --volumes to remove it too)
MSG
    ;;
  kubernetes)
    export CLOCKWORK_CLUSTER_DIR=${CLOCKWORK_CLUSTER_DIR:-$PWD/.cluster}
    step "Real-node cluster (make cluster-up PROFILE=real)"
    if ! bash test/cluster/cluster.sh status >/dev/null 2>&1; then make --no-print-directory cluster-up PROFILE=real; fi
    export KUBECONFIG=$CLOCKWORK_CLUSTER_DIR/kubeconfig
    done_step

    step "Import the example images into the node"
    bash test/cluster/cluster.sh import-image clockwork-local/prometheus:2.42 clockwork-local/postgres:15 clockwork-examples/api-service:0.1.0
    done_step

    step "CRDs and the operator"
    bash test/cluster/cluster.sh kubectl apply --server-side -f crds/ >/dev/null
    if ! pgrep -f "sdk/src/cli/main.ts operator --kubeconfig $KUBECONFIG" >/dev/null; then
      nohup node sdk/src/cli/main.ts operator --kubeconfig "$KUBECONFIG" --metrics-port 0 >"$CLOCKWORK_CLUSTER_DIR/operator.log" 2>&1 &
      echo "   operator started (log: $CLOCKWORK_CLUSTER_DIR/operator.log)"
    fi
    done_step

    step "clockwork apply $STACK --target kubernetes"
    clockwork apply "$STACK" --target kubernetes --timeout 300
    done_step

    step "clockwork status $STACK --target kubernetes"
    clockwork status "$STACK" --target kubernetes || true
    done_step

    cat <<MSG

The stack is running on the cluster (KUBECONFIG=$KUBECONFIG):
  kubectl get clockwork
  npx clockwork dashboard $STACK --target kubernetes   (a live page on http://127.0.0.1:18400/)
  kubectl port-forward svc/prometheus 9090 & curl http://localhost:9090/-/healthy
  kubectl port-forward svc/api-service 8000 & curl http://localhost:8000/health

Remove:   npx clockwork destroy $STACK --target kubernetes   (keeps the claims: add --volumes to remove them too)
Cluster:  make cluster-down
MSG
    ;;
  *) echo "TARGET must be docker or kubernetes, got $TARGET" >&2; exit 2 ;;
esac
printf '\nmake demo took %s s\n' "$(elapsed "$total_started")"
