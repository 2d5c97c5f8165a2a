#!/usr/bin/env bash
# Local Kubernetes test cluster for Clockwork, from binaries built by build.sh.
#
#   cluster.sh up [kwok|real]        start a cluster (default profile: kwok)
#   cluster.sh down                  stop it and remove everything it created
#   cluster.sh status                print component states (exit 1 when not up)
#   cluster.sh env                   print KUBECONFIG=... lines for `eval`
#   cluster.sh fault ACTION COMP     ACTION: stop|start|restart|kill; COMP: etcd, kube-apiserver,
#                                    controller-manager, scheduler, kwok (real: kubelet, containerd,
#                                    kube-proxy, coredns, local-path-provisioner)
#   cluster.sh import-image IMG...   load local docker images into the real node's containerd
#   cluster.sh kubectl ARGS...       run the built kubectl against this cluster
#   cluster.sh check-clean           exit 1 (listing them) if processes/mounts/rules of this
#                                    state dir (and, after a real-profile cluster, its bridge) are left
#
# State dir: $CLOCKWORK_CLUSTER_DIR, default <repo>/.cluster. Several kwok clusters (different
# state dirs) can run at once; only one real-profile cluster at a time (it owns the bridge
# $BRIDGE, its subnet and the KUBE-*/CNI-* iptables chains).
set -euo pipefail
shopt -s nullglob

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
S=${CLOCKWORK_CLUSTER_DIR:-$REPO/.cluster}
mkdir -p "$S"
S=$(cd "$S" && pwd)
eval "$("$HERE/build.sh" --print-dirs)"
export PATH="$K8S_BIN:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# Real-profile network (fixed: one real cluster per machine).
BRIDGE=${CLOCKWORK_BRIDGE:-cwbr0}
POD_SUBNET=10.244.0.0/24
NODE_IP=10.244.0.1
SERVICE_CIDR=10.96.0.0/16
SERVICE_IP=10.96.0.1
CLUSTER_DOMAIN=cluster.local
REAL_NODE=clockwork-node
KWOK_NODES=${CLOCKWORK_KWOK_NODES:-3}
# Pre-created PersistentVolumes of the kwok profile (a claim binds one for good).
KWOK_PVS=${CLOCKWORK_KWOK_PVS:-64}
HELPER_IMAGE=${HELPER_IMAGE:-clockwork-test/busybox:1}
IPT_COMMENT="clockwork:$BRIDGE"

log() { printf '[cluster %s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- helpers
# pick_ports N: N distinct TCP ports that no socket uses, below the kernel's ephemeral range:
# a port inside it can be taken at any moment by an outgoing connection (which `ss -l` does not
# show), and the component binding it later fails with "address already in use".
pick_ports() {
  local n=$1 out=() p low _high
  read -r low _high </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
  ((low > 21000)) || low=32768
  while ((${#out[@]} < n)); do
    p=$((20000 + RANDOM % (low - 20000)))
    [[ " ${out[*]} " == *" $p "* ]] && continue
    [[ -z $(ss -Htan "sport = :$p" 2>/dev/null) ]] || continue
    out+=("$p")
  done
  echo "${out[@]}"
}

# running PID: exists and is not a zombie (killed components are reparented to init, which may
# reap them late).
running() {
  local st
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $st && $st != Z && $st != X ]]
}
pid_of() { local f="$S/pids/$1.pid"; [[ -f $f ]] && cat "$f" || true; }
alive() { local p; p=$(pid_of "$1"); [[ -n $p ]] && running "$p"; }

# start_comp NAME CMD...: writes cmds/NAME.sh (used again by `fault start`) and runs it detached.
start_comp() {
  local name=$1; shift
  mkdir -p "$S/pids" "$S/logs" "$S/cmds"
  { echo '#!/usr/bin/env bash'; printf 'exec'; printf ' %q' "$@"; echo; } >"$S/cmds/$name.sh"
  launch "$name"
}
launch() {
  local name=$1
  alive "$name" && { log "$name already running"; return 0; }
  # 9>&-: components must not inherit the state dir lock.
  setsid nohup bash "$S/cmds/$name.sh" >>"$S/logs/$name.log" 2>&1 </dev/null 9>&- &
  echo $! >"$S/pids/$name.pid"
}

# stop_comp NAME [SIGNAL]: TERM (wait up to 15 s, then KILL) or the given signal.
stop_comp() {
  local name=$1 sig=${2:-TERM} p i
  p=$(pid_of "$name")
  [[ -n $p ]] || return 0
  if running "$p"; then
    kill -s "$sig" "$p" 2>/dev/null || true
    for i in $(seq 1 150); do running "$p" || break; sleep 0.1; done
    if running "$p"; then kill -KILL "$p" 2>/dev/null || true; sleep 0.2; fi
  fi
  rm -f "$S/pids/$name.pid"
}

# stop_parallel SIGNAL NAME...: signal all, wait up to 5 s for all, then KILL the rest.
stop_parallel() {
  local sig=$1 n p pids=()
  shift
  for n in "$@"; do
    p=$(pid_of "$n")
    [[ -n $p ]] && kill -s "$sig" "$p" 2>/dev/null && pids+=("$p")
  done
  for _ in $(seq 1 50); do
    local any=0
    for p in "${pids[@]}"; do running "$p" && any=1; done
    ((any)) || break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  for n in "$@"; do rm -f "$S/pids/$n.pid"; done
  return 0
}

# wait_for WHAT TIMEOUT_S CMD...: retries CMD until it succeeds.
wait_for() {
  local what=$1 timeout=$2 t0=$SECONDS; shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS - t0 >= timeout)); then
      log "timed out after ${timeout}s waiting for $what"
      return 1
    fi
    sleep 0.2
  done
}

# comp_check NAME: the component's own health check.
comp_check() {
  local name=$1
  alive "$name" || return 1
  case $name in
    etcd) curl -sf "http://127.0.0.1:$ETCD_PORT/health" | grep -q '"health":"true"' ;;
    kube-apiserver) kc get --raw /readyz ;;
    kube-controller-manager) curl -skf "https://127.0.0.1:$CM_PORT/healthz" ;;
    kube-scheduler) curl -skf "https://127.0.0.1:$SCHED_PORT/healthz" ;;
    kwok) true ;;
    containerd) ctr_ version ;;
    kubelet) curl -sf "http://127.0.0.1:$KUBELET_HEALTHZ_PORT/healthz" ;;
    kube-proxy) curl -sf "http://127.0.0.1:$PROXY_HEALTHZ_PORT/livez" ;;
    coredns) curl -sf "http://127.0.0.1:$COREDNS_READY_PORT/ready" ;;
    local-path-provisioner) true ;;
    *) return 1 ;;
  esac
}
wait_comp() {
  local name=$1 timeout=${2:-60}
  wait_for "$name" "$timeout" comp_check "$name" || {
    log "last lines of $S/logs/$name.log:"; tail -n 25 "$S/logs/$name.log" >&2 || true; return 1; }
}

kc() { kubectl --kubeconfig "$S/kubeconfig" "$@"; }
ctr_() { ctr -a "$S/containerd/containerd.sock" -n k8s.io "$@"; }
load_env() { [[ -f $S/env ]] && . "$S/env"; }

canon() {
  case $1 in
    controller-manager|kube-controller-manager) echo kube-controller-manager ;;
    scheduler|kube-scheduler) echo kube-scheduler ;;
    apiserver|kube-apiserver) echo kube-apiserver ;;
    *) echo "$1" ;;
  esac
}

# ---------------------------------------------------------------- PKI
gen_pki() {
  local d="$S/pki"
  mkdir -p "$d"
  openssl ecparam -name prime256v1 -genkey -noout -out "$d/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$d/ca.key" -subj "/CN=clockwork-test-ca" -days 3650 -out "$d/ca.crt" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
  openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
  openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
  local ip=$APISERVER_IP
  gen_cert apiserver kube-apiserver "" serverAuth \
    "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN,IP:127.0.0.1,IP:$SERVICE_IP,IP:$ip"
  gen_cert admin clockwork-admin system:masters clientAuth
  gen_cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters clientAuth
  gen_cert controller-manager system:kube-controller-manager "" clientAuth
  gen_cert scheduler system:kube-scheduler "" clientAuth
  if [[ $PROFILE == real ]]; then
    gen_cert kubelet "system:node:$REAL_NODE" system:nodes clientAuth
    gen_cert kube-proxy system:kube-proxy "" clientAuth
  fi
}
# gen_cert NAME CN O EKU [SANS]
gen_cert() {
  local d="$S/pki" name=$1 cn=$2 o=$3 eku=$4 sans=${5:-} subj ext
  subj="/CN=$cn"; [[ -n $o ]] && subj="/O=$o$subj"
  ext="basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=$eku"
  [[ -n $sans ]] && ext+=$'\n'"subjectAltName=$sans"
  openssl ecparam -name prime256v1 -genkey -noout -out "$d/$name.key" 2>/dev/null
  openssl req -new -key "$d/$name.key" -subj "$subj" -out "$d/$name.csr" 2>/dev/null
  openssl x509 -req -in "$d/$name.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -set_serial "0x$(openssl rand -hex 12)" \
    -days 365 -extfile <(echo "$ext") -out "$d/$name.crt" 2>/dev/null
  rm -f "$d/$name.csr"
}
# mk_kubeconfig FILE CERTNAME
mk_kubeconfig() {
  local f=$1 c=$2 d="$S/pki"
  cat >"$f" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: clockwork-test
  cluster:
    server: $APISERVER_URL
    certificate-authority-data: $(base64 -w0 "$d/ca.crt")
users:
- name: $c
  user:
    client-certificate-data: $(base64 -w0 "$d/$c.crt")
    client-key-data: $(base64 -w0 "$d/$c.key")
contexts:
- name: clockwork-test
  context: {cluster: clockwork-test, user: $c}
current-context: clockwork-test
EOF
  chmod 600 "$f"
}

# ---------------------------------------------------------------- up
cmd_up() {
  PROFILE=${1:-${PROFILE:-kwok}}
  [[ $PROFILE == kwok || $PROFILE == real ]] || die "unknown profile '$PROFILE' (kwok|real)"
  local bins=("$K8S_BIN"/{kube-apiserver,kube-controller-manager,kube-scheduler,kubectl} "$ETCD_BIN/etcd")
  if [[ $PROFILE == kwok ]]; then bins+=("$KWOK_BIN/kwok" "$KWOK_STAGES"); else bins+=("$K8S_BIN/kubelet" "$K8S_BIN/kube-proxy" "$COREDNS_BIN/coredns" "$LOCAL_PATH_BIN/local-path-provisioner"); fi
  local b; for b in "${bins[@]}"; do [[ -e $b ]] || die "missing $b — run 'make cluster-build' (test/cluster/build.sh) first"; done
  [[ $(id -u) == 0 || $PROFILE == kwok ]] || die "the real profile needs root"

  if [[ -f $S/env ]] || compgen -G "$S/pids/*.pid" >/dev/null; then
    log "state dir $S holds a previous cluster: cleaning it up first"
    cmd_down_locked
  fi
  if [[ $PROFILE == real ]]; then
    if ip link show "$BRIDGE" >/dev/null 2>&1; then
      local owner
      # ([-] keeps grep from matching its own command line)
      owner=$(grep -laP -- "[-]-node-ip\\x00\\Q$NODE_IP\\E\\x00" /proc/[0-9]*/cmdline 2>/dev/null | head -1 || true)
      if [[ -n $owner ]]; then
        owner=$(tr '\0' ' ' <"$owner" 2>/dev/null | grep -o -- '--root-dir [^ ]*' | sed 's#--root-dir \(.*\)/kubelet#\1#' || true)
        die "another real-profile cluster is running (state dir ${owner:-unknown}): only one can run at a time; stop it with 'CLOCKWORK_CLUSTER_DIR=${owner:-DIR} make cluster-down'"
      fi
      log "removing the bridge $BRIDGE and iptables chains left by a real-profile cluster that is gone"
      net_down
    fi
    # containerd and runc come with docker.io; the CNI plugins are a separate package.
    "$REPO/test/docker/docker-up.sh" >&2
    if [[ ! -x /usr/lib/cni/bridge ]]; then
      log "installing containernetworking-plugins from Debian"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq containernetworking-plugins >/dev/null
    fi
    for b in containerd containerd-shim-runc-v2 runc ip iptables /usr/lib/cni/bridge /usr/lib/cni/host-local /usr/lib/cni/portmap; do
      command -v $b >/dev/null || die "$b not found (apt-get install docker.io containerd runc iptables iproute2 containernetworking-plugins)"
    done
  fi

  local t0=$SECONDS
  set -E
  trap 'FAILED_AT="line $LINENO: $BASH_COMMAND"' ERR
  trap 'rc=$?; if [[ $rc != 0 ]]; then log "up failed (exit $rc${FAILED_AT:+ at $FAILED_AT}) or was interrupted: tearing down"; cmd_down_locked || true; fi' EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$S"/{pids,logs,cmds}
  rm -f "$S"/logs/*.log
  # Kept after down (like the logs): check-clean looks for the bridge and iptables chains only
  # where a real-profile cluster ran, so a kwok cluster is not blamed for a real one beside it.
  echo "$PROFILE" >"$S/logs/profile"

  read -r ETCD_PORT ETCD_PEER_PORT APISERVER_PORT CM_PORT SCHED_PORT KUBELET_PORT KUBELET_HEALTHZ_PORT \
    PROXY_HEALTHZ_PORT PROXY_METRICS_PORT COREDNS_READY_PORT <<<"$(pick_ports 10)"
  if [[ $PROFILE == real ]]; then APISERVER_IP=$NODE_IP; else APISERVER_IP=127.0.0.1; fi
  APISERVER_URL="https://$APISERVER_IP:$APISERVER_PORT"
  CGROUP_ROOT=/clockwork-$(echo -n "$S" | md5sum | cut -c1-8)
  cat >"$S/env" <<EOF
PROFILE=$PROFILE
ETCD_PORT=$ETCD_PORT
ETCD_PEER_PORT=$ETCD_PEER_PORT
APISERVER_PORT=$APISERVER_PORT
APISERVER_IP=$APISERVER_IP
APISERVER_URL=$APISERVER_URL
CM_PORT=$CM_PORT
SCHED_PORT=$SCHED_PORT
KUBELET_PORT=$KUBELET_PORT
KUBELET_HEALTHZ_PORT=$KUBELET_HEALTHZ_PORT
PROXY_HEALTHZ_PORT=$PROXY_HEALTHZ_PORT
PROXY_METRICS_PORT=$PROXY_METRICS_PORT
COREDNS_READY_PORT=$COREDNS_READY_PORT
CGROUP_ROOT=$CGROUP_ROOT
BRIDGE=$BRIDGE
EOF

  gen_pki
  mk_kubeconfig "$S/kubeconfig" admin
  mk_kubeconfig "$S/kubeconfig-controller-manager" controller-manager
  mk_kubeconfig "$S/kubeconfig-scheduler" scheduler
  log "PKI ready ($((SECONDS - t0))s)"

  if [[ $PROFILE == real ]]; then
    mk_kubeconfig "$S/kubeconfig-kubelet" kubelet
    mk_kubeconfig "$S/kubeconfig-kube-proxy" kube-proxy
    net_up
  fi

  start_comp etcd "$ETCD_BIN/etcd" --name default --data-dir "$S/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "default=http://127.0.0.1:$ETCD_PEER_PORT" --unsafe-no-fsync --log-level warn
  wait_comp etcd 30

  local p="$S/pki" extra=()
  [[ $PROFILE == kwok ]] && extra=(--endpoint-reconciler-type=none)
  # Opt-in extra apiserver flags (whitespace-separated), e.g. an audit log for the benchmark.
  if [[ -n ${CLOCKWORK_APISERVER_EXTRA_ARGS:-} ]]; then
    local more; read -ra more <<<"$CLOCKWORK_APISERVER_EXTRA_ARGS"; extra+=("${more[@]}")
  fi
  start_comp kube-apiserver "$K8S_BIN/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address "$APISERVER_IP" --advertise-address "$APISERVER_IP" --secure-port "$APISERVER_PORT" \
    --tls-cert-file "$p/apiserver.crt" --tls-private-key-file "$p/apiserver.key" --client-ca-file "$p/ca.crt" \
    --service-account-issuer "https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-account-key-file "$p/sa.pub" --service-account-signing-key-file "$p/sa.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --kubelet-preferred-address-types InternalIP \
    --kubelet-client-certificate "$p/apiserver-kubelet-client.crt" --kubelet-client-key "$p/apiserver-kubelet-client.key" \
    --allow-privileged=true --profiling=false --cert-dir "$S/apiserver-certs" "${extra[@]}"
  wait_comp kube-apiserver 90
  log "kube-apiserver ready ($((SECONDS - t0))s)"

  # kwok's simulated kubelets never re-report a Running Pod: once the node lifecycle controller
  # marks Pods NotReady (node leases not renewed for its grace period, as in a long control-plane
  # outage of the reliability tests) they would stay NotReady, where a real kubelet re-reports
  # them. The kwok profile gives its nodes 5 minutes; the real profile keeps the default.
  local cm_extra=()
  [[ $PROFILE == kwok ]] && cm_extra=(--node-monitor-grace-period=5m)
  start_comp kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig "$S/kubeconfig-controller-manager" \
    --authentication-kubeconfig "$S/kubeconfig-controller-manager" --authorization-kubeconfig "$S/kubeconfig-controller-manager" \
    --bind-address 127.0.0.1 --secure-port "$CM_PORT" --cert-dir "$S/cm-certs" \
    --controllers '*' --use-service-account-credentials=true \
    --service-account-private-key-file "$p/sa.key" --root-ca-file "$p/ca.crt" \
    --cluster-signing-cert-file "$p/ca.crt" --cluster-signing-key-file "$p/ca.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" --leader-elect=false --profiling=false "${cm_extra[@]}"
  start_comp kube-scheduler "$K8S_BIN/kube-scheduler" \
    --kubeconfig "$S/kubeconfig-scheduler" \
    --authentication-kubeconfig "$S/kubeconfig-scheduler" --authorization-kubeconfig "$S/kubeconfig-scheduler" \
    --bind-address 127.0.0.1 --secure-port "$SCHED_PORT" --cert-dir "$S/scheduler-certs" --leader-elect=false --profiling=false

  if [[ $PROFILE == kwok ]]; then kwok_up; else real_up; fi

  wait_comp kube-controller-manager 60
  wait_comp kube-scheduler 60
  # Pods need the default ServiceAccount and the root CA ConfigMap.
  wait_for "default ServiceAccount" 60 kc -n default get serviceaccount default
  wait_for "kube-root-ca.crt" 60 kc -n default get configmap kube-root-ca.crt
  write_info
  trap - EXIT INT TERM ERR
  log "cluster ($PROFILE) is up in $((SECONDS - t0))s; KUBECONFIG=$S/kubeconfig"
}

write_info() {
  cat >"$S/info.json" <<EOF
{"profile":"$PROFILE","stateDir":"$S","kubeconfig":"$S/kubeconfig","server":"$APISERVER_URL",
 "nodeIP":"$( [[ $PROFILE == real ]] && echo "$NODE_IP" || echo "" )",
 "nodes":[$(kc get nodes -o jsonpath='{range .items[*]}"{.metadata.name}",{end}' | sed 's/,$//')],
 "kubectl":"$K8S_BIN/kubectl","containerdSocket":"$( [[ $PROFILE == real ]] && echo "$S/containerd/containerd.sock" || echo "" )",
 "bridge":"$( [[ $PROFILE == real ]] && echo "$BRIDGE" || echo "" )","cgroupRoot":"$CGROUP_ROOT"}
EOF
}

kwok_up() {
  start_comp kwok "$KWOK_BIN/kwok" --kubeconfig "$S/kubeconfig" --config "$KWOK_STAGES" \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake --node-lease-duration-seconds 40 \
    --node-ip 10.0.0.1 --cidr 10.0.0.1/16
  local i docs=""
  for ((i = 0; i < KWOK_NODES; i++)); do
    docs+="---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: \"0\"}
  labels: {type: kwok, kubernetes.io/hostname: kwok-node-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64, kubernetes.io/role: agent, node-role.kubernetes.io/agent: \"\"}
spec: {}
status:
  allocatable: {cpu: \"1000\", memory: 4000Gi, pods: \"10000\", ephemeral-storage: 10000Gi}
  capacity: {cpu: \"1000\", memory: 4000Gi, pods: \"10000\", ephemeral-storage: 10000Gi}
  nodeInfo: {architecture: amd64, operatingSystem: linux, kubeletVersion: fake, kubeProxyVersion: fake}
  phase: Running
"
  done
  echo "$docs" | kc apply -f - >/dev/null
  wait_for "kwok nodes Ready" 60 kc wait --for=condition=Ready node -l type=kwok --timeout=1s
  kwok_storage
}

# The kwok profile's volumes: a default StorageClass binding claims on first use to pre-created
# PersistentVolumes (their host paths are never used: kwok nodes run nothing).
kwok_storage() {
  local i docs
  docs=$(cat "$HERE/storage/kwok-storage.yaml")
  for ((i = 0; i < KWOK_PVS; i++)); do
    docs+="
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: kwok-pv-$i, labels: {clockwork.dev/test-pool: kwok}}
spec:
  capacity: {storage: 100Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: standard
  hostPath: {path: /var/lib/kwok-pv/$i}"
  done
  echo "$docs" | kc apply -f - >/dev/null
}

# ---------------------------------------------------------------- real profile
net_up() {
  sysctl -qw net.ipv4.ip_forward=1
  modprobe br_netfilter 2>/dev/null || true
  [[ -f /proc/sys/net/bridge/bridge-nf-call-iptables ]] && sysctl -qw net.bridge.bridge-nf-call-iptables=1
  ip link add "$BRIDGE" type bridge
  ip addr add "$NODE_IP/24" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # Docker sets the FORWARD policy to DROP: accept traffic to and from the node's bridge.
  iptables -w -I FORWARD 1 -i "$BRIDGE" -m comment --comment "$IPT_COMMENT" -j ACCEPT
  iptables -w -I FORWARD 1 -o "$BRIDGE" -m comment --comment "$IPT_COMMENT" -j ACCEPT
}

containerd_config() {
  local c="$S/containerd"
  mkdir -p "$c" "$S/cni/net.d" "$S/cni/ipam"
  cat >"$S/cni/net.d/10-clockwork.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "clockwork",
  "plugins": [
    {"type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$S/cni/ipam",
              "ranges": [[{"subnet": "$POD_SUBNET", "gateway": "$NODE_IP"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  cat >"$c/config.toml" <<EOF
version = 2
root = "$c/root"
state = "$c/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$c/containerd.sock"
[ttrpc]
  address = "$c/containerd.sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$c/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "docker.io/$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  netns_mounts_under_state_dir = true
  disable_apparmor = true
  enable_selinux = false
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$S/cni/net.d"
EOF
}

cgroups_up() {
  local h
  for h in /sys/fs/cgroup/*/; do
    [[ $h == */unified/ ]] && continue
    mkdir -p "$h${CGROUP_ROOT#/}"
    if [[ -f $h/cpuset.cpus ]]; then
      cat "$h/cpuset.cpus" >"$h${CGROUP_ROOT#/}/cpuset.cpus"
      cat "$h/cpuset.mems" >"$h${CGROUP_ROOT#/}/cpuset.mems"
    fi
  done
}

real_up() {
  local t0=$SECONDS
  PAUSE_IMAGE=${PAUSE_IMAGE:-clockwork-test/pause:1}
  BUSYBOX_IMAGE=${BUSYBOX_IMAGE:-clockwork-test/busybox:1}
  "$REPO/test/docker/build-test-images.sh" >&2
  containerd_config
  start_comp containerd containerd --config "$S/containerd/config.toml" --log-level warn
  wait_comp containerd 30
  import_images "$PAUSE_IMAGE" "$BUSYBOX_IMAGE"
  cgroups_up

  cat >"$S/kubelet-config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
containerRuntimeEndpoint: unix://$S/containerd/containerd.sock
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $S/pki/ca.crt}
authorization:
  mode: Webhook
clusterDNS: [$NODE_IP]
clusterDomain: $CLUSTER_DOMAIN
resolvConf: $S/resolv.conf
podLogsDir: $S/pod-logs
failSwapOn: false
rotateCertificates: false
serializeImagePulls: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
syncFrequency: 10s
fileCheckFrequency: 10s
nodeStatusReportFrequency: 10s
EOF
  echo "nameserver $NODE_IP" >"$S/resolv.conf"
  start_comp kubelet "$K8S_BIN/kubelet" --config "$S/kubelet-config.yaml" --kubeconfig "$S/kubeconfig-kubelet" \
    --root-dir "$S/kubelet" --cert-dir "$S/kubelet/pki" --node-ip "$NODE_IP" --hostname-override "$REAL_NODE" --v 1

  cat >"$S/kube-proxy-config.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $S/kubeconfig-kube-proxy}
hostnameOverride: $REAL_NODE
clusterCIDR: $POD_SUBNET
detectLocalMode: ClusterCIDR
healthzBindAddress: 127.0.0.1:$PROXY_HEALTHZ_PORT
metricsBindAddress: 127.0.0.1:$PROXY_METRICS_PORT
nodePortAddresses: ["$NODE_IP/32"]
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
iptables: {syncPeriod: 10s, minSyncPeriod: 0s}
EOF
  start_comp kube-proxy "$K8S_BIN/kube-proxy" --config "$S/kube-proxy-config.yaml"

  cat >"$S/Corefile" <<EOF
.:53 {
    bind $NODE_IP
    errors
    ready 127.0.0.1:$COREDNS_READY_PORT
    kubernetes $CLUSTER_DOMAIN in-addr.arpa ip6.arpa {
        kubeconfig $S/kubeconfig
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 5
    }
    cache 5
    loadbalance
}
EOF
  start_comp coredns "$COREDNS_BIN/coredns" -conf "$S/Corefile"

  wait_comp kubelet 60
  wait_for "node $REAL_NODE Ready" 90 kc wait --for=condition=Ready "node/$REAL_NODE" --timeout=1s
  wait_comp kube-proxy 60
  wait_comp coredns 60
  local_path_up
  log "real node ready ($((SECONDS - t0))s)"
}

# Dynamic volumes on the real node: local-path-provisioner runs as a process (admin kubeconfig)
# and creates each claim's directory under $S/local-path through a helper Pod of the test busybox
# image, once a Pod using the claim is scheduled (WaitForFirstConsumer).
local_path_up() {
  local d="$S/local-path"
  mkdir -p "$d/data"
  sed -e "s#@HELPER_IMAGE@#docker.io/$HELPER_IMAGE#" "$HERE/storage/local-path-helper-pod.yaml" >"$d/helper-pod.yaml"
  printf '{"nodePathMap": [{"node": "DEFAULT_PATH_FOR_NON_LISTED_NODES", "paths": ["%s"]}], "cmdTimeoutSeconds": 60}\n' "$d/data" >"$d/config.json"
  kc apply -f "$HERE/storage/local-path.yaml" >/dev/null
  start_comp local-path-provisioner "$LOCAL_PATH_BIN/local-path-provisioner" start --kubeconfig "$S/kubeconfig" \
    --config "$d/config.json" --helper-pod-file "$d/helper-pod.yaml" --namespace local-path-storage \
    --service-account-name local-path-provisioner --configmap-name local-path-config \
    --provisioner-name rancher.io/local-path --helper-image "docker.io/$HELPER_IMAGE"
  wait_for "local-path-provisioner" 10 alive local-path-provisioner
}

import_images() {
  local img
  for img in "$@"; do
    docker image inspect "$img" >/dev/null 2>&1 || die "image $img is not in the local docker engine"
    docker save "$img" | ctr_ images import - >/dev/null
    log "imported $img into the node's containerd"
  done
}

# ---------------------------------------------------------------- down
cmd_down_locked() {
  load_env || true
  local t0=$SECONDS
  # Real profile: stop the node first so it does not restart containers, then SIGKILL every
  # container process (they all live in the node's cgroup root) before containerd stops.
  # Everything is thrown away, so nothing needs a graceful stop: SIGKILL unless told otherwise.
  local sig=${CLOCKWORK_DOWN_SIGNAL:-KILL}
  stop_parallel "$sig" kubelet kube-proxy coredns local-path-provisioner kwok kube-scheduler kube-controller-manager
  if [[ -n ${CGROUP_ROOT:-} ]]; then
    local f cpids
    for f in /sys/fs/cgroup/pids"$CGROUP_ROOT" /sys/fs/cgroup/memory"$CGROUP_ROOT"; do
      if [[ -d $f ]]; then
        cpids=$(find "$f" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u || true)
        # shellcheck disable=SC2086
        [[ -n $cpids ]] && kill -KILL $cpids 2>/dev/null || true
      fi
    done
  fi
  stop_parallel "$sig" containerd kube-apiserver etcd
  kill_leftovers
  unmount_under "$S"
  if [[ -n ${CGROUP_ROOT:-} ]]; then cgroups_down "$CGROUP_ROOT"; fi
  if [[ ${PROFILE:-} == real ]]; then net_down; fi
  # Keep logs for post-mortems; remove everything else.
  local f
  for f in "$S"/* "$S"/.[!.]*; do
    [[ $f == "$S/logs" || $f == "$S/.cluster.lock" ]] && continue
    rm -rf "$f"
  done
  log "down in $((SECONDS - t0))s (logs kept in $S/logs)"
}

# Processes whose command line names the state dir (components, containerd shims), except
# this script and its ancestors.
leftover_pids() {
  local self=" $$ " p=$$ pid
  while [[ $p -gt 1 ]]; do p=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null || echo 1); self+="$p "; done
  local f
  # ([/] keeps grep from matching its own command line)
  for f in $(grep -laP -- "[/]\\Q${S#/}/\\E" /proc/[0-9]*/cmdline 2>/dev/null || true); do
    pid=${f#/proc/}; pid=${pid%/cmdline}
    [[ $self == *" $pid "* ]] || echo "$pid"
  done
  if [[ -n ${CGROUP_ROOT:-} ]]; then
    local f
    for f in /sys/fs/cgroup/pids"$CGROUP_ROOT"/ /sys/fs/cgroup/memory"$CGROUP_ROOT"/; do
      if [[ -d $f ]]; then find "$f" -name cgroup.procs -exec cat {} + 2>/dev/null || true; fi
    done
  fi
  return 0
}
kill_leftovers() {
  local pids i
  for i in 1 2 3 4 5; do
    pids=$(leftover_pids | sort -u)
    [[ -z $pids ]] && return 0
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.2
  done
}
unmount_under() {
  local dir=$1 m
  for _ in 1 2 3; do
    m=$(awk -v d="$dir/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r)
    [[ -z $m ]] && return 0
    while read -r x; do umount -l "$x" 2>/dev/null || true; done <<<"$m"
  done
}
cgroups_down() {
  local root=$1 h
  for h in /sys/fs/cgroup/*/; do
    [[ -d $h${root#/} ]] || continue
    find "$h${root#/}" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}
net_down() {
  local t ipt
  if ip link show "$BRIDGE" >/dev/null 2>&1; then ip link del "$BRIDGE" || true; fi
  for ipt in iptables ip6tables; do
    command -v $ipt >/dev/null || continue
    while $ipt -w -D FORWARD -i "$BRIDGE" -m comment --comment "$IPT_COMMENT" -j ACCEPT 2>/dev/null; do :; done
    while $ipt -w -D FORWARD -o "$BRIDGE" -m comment --comment "$IPT_COMMENT" -j ACCEPT 2>/dev/null; do :; done
    for t in filter nat mangle; do clean_chains "$ipt" "$t"; done
  done
}
# Removes the KUBE-* / CNI-* chains (kube-proxy, kubelet, CNI portmap/bridge) and every rule jumping to them.
clean_chains() {
  local ipt=$1 t=$2 rule chains ch
  "$ipt-save" -t "$t" >/dev/null 2>&1 || return 0
  while read -r rule; do
    [[ -n $rule ]] || continue
    eval "$ipt -w -t $t ${rule/-A /-D }" 2>/dev/null || true
  done < <("$ipt-save" -t "$t" 2>/dev/null | grep -E '^-A (INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING) .*-j (KUBE-|CNI-)')
  chains=$("$ipt-save" -t "$t" 2>/dev/null | sed -n 's/^:\(\(KUBE\|CNI\)-[^ ]*\) .*/\1/p')
  for ch in $chains; do $ipt -w -t "$t" -F "$ch" 2>/dev/null || true; done
  for ch in $chains; do $ipt -w -t "$t" -X "$ch" 2>/dev/null || true; done
}

# ---------------------------------------------------------------- other commands
cmd_check_clean() {
  load_env || true
  local bad=0 pids m
  pids=$(leftover_pids | sort -u | tr '\n' ' ')
  [[ -n ${pids// /} ]] && { echo "processes left: $pids"; bad=1; }
  m=$(awk -v d="$S/" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo)
  [[ -n $m ]] && { echo "mounts left: $m"; bad=1; }
  if [[ ${PROFILE:-$(cat "$S/logs/profile" 2>/dev/null)} != kwok ]]; then
    ip link show "$BRIDGE" >/dev/null 2>&1 && { echo "bridge $BRIDGE left"; bad=1; }
    iptables-save 2>/dev/null | grep -qE "$IPT_COMMENT|^:(KUBE|CNI)-" && { echo "iptables rules left"; bad=1; }
  fi
  [[ -n ${CGROUP_ROOT:-} && -d /sys/fs/cgroup/pids$CGROUP_ROOT ]] && { echo "cgroup $CGROUP_ROOT left"; bad=1; }
  return $bad
}

cmd_status() {
  load_env || { echo "no cluster in $S"; return 1; }
  local c rc=0 comps=(etcd kube-apiserver kube-controller-manager kube-scheduler)
  if [[ $PROFILE == kwok ]]; then comps+=(kwok); else comps+=(containerd kubelet kube-proxy coredns local-path-provisioner); fi
  echo "profile=$PROFILE stateDir=$S kubeconfig=$S/kubeconfig server=$APISERVER_URL"
  for c in "${comps[@]}"; do
    if comp_check "$c" >/dev/null 2>&1; then echo "$c: ok (pid $(pid_of "$c"))"; else echo "$c: DOWN"; rc=1; fi
  done
  return $rc
}

cmd_fault() {
  local action=${1:-} comp
  comp=$(canon "${2:-}")
  load_env || die "no cluster in $S"
  [[ -f $S/cmds/$comp.sh ]] || die "unknown component '$comp' for this cluster (have: $(cd "$S/cmds" && ls | sed 's/\.sh$//' | tr '\n' ' '))"
  case $action in
    stop) stop_comp "$comp" TERM ;;
    kill) stop_comp "$comp" KILL ;;
    start) launch "$comp"; wait_comp "$comp" 90 ;;
    restart) stop_comp "$comp" TERM; launch "$comp"; wait_comp "$comp" 90 ;;
    *) die "unknown action '$action' (stop|start|restart|kill)" ;;
  esac
  log "$action $comp: done"
}

with_lock() {
  exec 9>"$S/.cluster.lock"
  flock -w 300 9 || die "could not lock $S"
  "$@"
}

cmd=${1:-}
shift || true
case $cmd in
  up) with_lock cmd_up "$@" ;;
  down) with_lock cmd_down_locked ;;
  status) cmd_status ;;
  env) echo "KUBECONFIG=$S/kubeconfig"; echo "CLOCKWORK_CLUSTER_DIR=$S" ;;
  fault) with_lock cmd_fault "$@" ;;
  import-image)
    load_env || die "no cluster in $S"
    [[ ${PROFILE:-} == real ]] || die "import-image needs a real-profile cluster (this one is ${PROFILE:-none})"
    import_images "$@" ;;
  kubectl) exec kubectl --kubeconfig "$S/kubeconfig" "$@" ;;
  check-clean) cmd_check_clean ;;
  *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; [[ -z $cmd ]] && exit 0; exit 2 ;;
esac
