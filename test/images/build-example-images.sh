#!/usr/bin/env bash
# Builds local, registry-free equivalents of the images the seed example (examples/mixed-pattern)
# uses, for machines that cannot pull from a container registry:
#
#   clockwork-local/prometheus:2.42      Debian bookworm `prometheus`   (for prom/prometheus:v2.53.4)
#   clockwork-local/postgres:15          Debian bookworm `postgresql-15` (for postgres:16.4)
#   clockwork-examples/api-service:0.1.0 Node 24 + examples/mixed-pattern/api-service
#   clockwork/operator:0.1.0             Node 24 + the operator (only when named: `operator`), the
#                                        registry-free equivalent of the Dockerfile's image
#
# How: `debootstrap --variant=minbase` a Debian root filesystem once (using the host's apt mirror
# and apt configuration; tarball cached in $CACHE), copy it per image, `apt-get install
# --no-install-recommends` one package inside it with chroot (or copy in Node and the app),
# strip apt lists/caches/docs/man pages, and `docker import` the tree with its entrypoint,
# user, env, workdir and exposed ports.
#
# Cached: an image whose `dev.clockwork.build-key` label matches the inputs (this script, the
# mirror, the app sources, the Node binary) is kept. `--force` rebuilds everything.
# Writes the image map to $CACHE/image-map.env (CLOCKWORK_IMAGE_MAP=...) and prints it last.
#
# Env: CLOCKWORK_IMAGES_CACHE (default ~/.cache/clockwork/images), DEBIAN_SUITE (bookworm),
#      DEBIAN_MIRROR (default: the first Debian mirror in the host's apt sources), NODE_BIN.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
app_dir=$repo/examples/mixed-pattern/api-service
CACHE=${CLOCKWORK_IMAGES_CACHE:-$HOME/.cache/clockwork/images}
SUITE=${DEBIAN_SUITE:-bookworm}
PROMETHEUS_IMAGE=${PROMETHEUS_IMAGE:-clockwork-local/prometheus:2.42}
POSTGRES_IMAGE=${POSTGRES_IMAGE:-clockwork-local/postgres:15}
API_IMAGE=${API_IMAGE:-clockwork-examples/api-service:0.1.0}
OPERATOR_IMAGE=${OPERATOR_IMAGE:-clockwork/operator:0.1.0}
PROMETHEUS_UPSTREAM=prom/prometheus:v2.53.4
POSTGRES_UPSTREAM=postgres:16.4
PG_MAJOR=15
force=
only=()
for a in "$@"; do
  case $a in
    --force) force=1 ;;
    prometheus | postgres | api-service | operator) only+=("$a") ;;
    -h | --help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "usage: $0 [--force] [prometheus|postgres|api-service|operator]..." >&2; exit 2 ;;
  esac
done
[[ ${#only[@]} -gt 0 ]] || only=(prometheus postgres api-service)
if [[ " ${only[*]} " == " operator " ]]; then only_operator=1; else only_operator=; fi
wanted() { [[ " ${only[*]} " == *" $1 "* ]]; }

log() { printf 'build-example-images: %s\n' "$*" >&2; }
[[ $(id -u) == 0 ]] || { log "needs root (debootstrap, chroot, mount)"; exit 1; }
"$repo/test/docker/docker-up.sh" >/dev/null

need_pkg() { # need_pkg COMMAND PACKAGE
  command -v "$1" >/dev/null && return
  log "installing $2 from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null
}
need_pkg debootstrap debootstrap

# The mirror debootstrap uses: the host's own (first Debian archive URI of its apt sources).
host_mirror() {
  local f uris
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    uris=$(grep -hoE '(https?|file)://[^ ]+' "$f" 2>/dev/null | grep -v -- '-security' | grep -E '/debian/?$' || true)
    [[ -n $uris ]] && { head -n1 <<<"$uris"; return; }
  done
  echo http://deb.debian.org/debian
}
MIRROR=${DEBIAN_MIRROR:-$(host_mirror)}
mkdir -p "$CACHE"

# Bump BASE_RECIPE when build_base changes; image keys also cover this whole script.
BASE_RECIPE=1
script_hash=$(sha256sum "$0" | cut -c1-12)
base_key=$(printf '%s %s %s' "$SUITE" "$MIRROR" "$BASE_RECIPE" | sha256sum | cut -c1-12)
base_tar=$CACHE/debian-$SUITE-minbase-$base_key.tar

work=$(mktemp -d "${TMPDIR:-/tmp}/clockwork-images.XXXXXX")
mounted=()
cleanup() {
  local m
  for m in "${mounted[@]}"; do umount -l "$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# Copies the host's apt configuration (sources, apt.conf.d, the keyrings the sources name) into a
# root filesystem, so apt inside the chroot reaches the same mirror the same way.
copy_apt_config() {
  local root=$1 f k
  rm -f "$root/etc/apt/sources.list"
  [[ -f /etc/apt/sources.list ]] && cp /etc/apt/sources.list "$root/etc/apt/"
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    cp "$f" "$root/etc/apt/sources.list.d/"
    for k in $(grep -hoE '(Signed-By:|signed-by=)[^] ]+' "$f" | sed -E 's/^(Signed-By:|signed-by=)[[:space:]]*//'); do
      [[ -f $k && ! -e $root$k ]] && { mkdir -p "$root$(dirname "$k")"; cp "$k" "$root$k"; }
    done
  done
  for f in /etc/apt/apt.conf.d/* /etc/apt/trusted.gpg.d/* /etc/apt/preferences.d/*; do
    [[ -f $f ]] && cp "$f" "$root$(dirname "$f")/"
  done
  # debootstrap's own sources.list pointed at $MIRROR; keep it if the host had no sources at all.
  if ! ls "$root"/etc/apt/sources.list "$root"/etc/apt/sources.list.d/*.{list,sources} >/dev/null 2>&1; then
    echo "deb $MIRROR $SUITE main" >"$root/etc/apt/sources.list"
  fi
}

# Removes what an image does not need at run time: apt lists and caches, docs, man pages, logs.
slim() {
  local root=$1
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/cache/debconf/*-old \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/usr/share/lintian \
    "$root"/usr/share/locale/* "$root"/usr/share/gtk-doc "$root"/var/lib/dpkg/*-old \
    "$root"/var/log/* "$root"/tmp/* "$root"/var/tmp/* "$root"/root/.cache
  mkdir -p "$root/var/lib/apt/lists/partial" "$root/var/cache/apt/archives/partial"
  : >"$root/etc/resolv.conf" 2>/dev/null || true
}

base_done=
build_base() {
  [[ -z $base_done ]] || return 0
  base_done=1
  if [[ -z $force && -s $base_tar ]]; then log "base rootfs cached: $base_tar"; return; fi
  local t=$SECONDS root=$work/base
  log "debootstrap --variant=minbase $SUITE from $MIRROR"
  debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 || {
    tail -n 30 "$work/debootstrap.log" >&2; log "debootstrap failed"; exit 1
  }
  copy_apt_config "$root"
  # Containers never start services from package scripts.
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
  # Keep docs and man pages out of every later apt-get install.
  cat >"$root/etc/dpkg/dpkg.cfg.d/01-clockwork-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
  slim "$root"
  tar -C "$root" --numeric-owner -cf "$base_tar.tmp" . && mv "$base_tar.tmp" "$base_tar"
  rm -rf --one-file-system "$root"
  find "$CACHE" -maxdepth 1 -name "debian-$SUITE-minbase-*.tar" ! -name "$(basename "$base_tar")" -delete
  log "base rootfs built in $((SECONDS - t)) s: $base_tar ($(du -h "$base_tar" | cut -f1))"
}

new_root() { # new_root NAME → path of a fresh copy of the base rootfs
  local root=$work/$1
  rm -rf --one-file-system "$root"
  mkdir -p "$root"
  tar -C "$root" --numeric-owner -xpf "$base_tar"
  echo "$root"
}

# chroot_install ROOT PACKAGE...: apt-get install inside the root filesystem.
chroot_install() {
  local root=$1
  shift
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  mount -t proc proc "$root/proc" && mounted=("$root/proc" "${mounted[@]}")
  mount --bind /dev "$root/dev" && mounted=("$root/dev" "${mounted[@]}")
  local rc=0
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 \
    sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" && apt-get clean' sh "$@" \
    >"$work/apt.log" 2>&1 || rc=$?
  umount "$root/dev" "$root/proc"
  mounted=("${mounted[@]:2}")
  if [[ $rc != 0 ]]; then tail -n 30 "$work/apt.log" >&2; log "apt-get install $* failed"; exit 1; fi
}

# docker_import ROOT IMAGE KEY CHANGE...: tar the tree into `docker import` with the given --change lines.
docker_import() {
  local root=$1 image=$2 key=$3
  shift 3
  local changes=(--change "LABEL dev.clockwork.build-key=$key" --change "LABEL dev.clockwork.built-by=test/images/build-example-images.sh")
  local c
  for c in "$@"; do changes+=(--change "$c"); done
  local previous
  previous=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
  tar -C "$root" --numeric-owner -c . | docker import "${changes[@]}" - "$image" >/dev/null
  rm -rf --one-file-system "$root"
  # The image this tag named before is now untagged: remove it unless a container still uses it.
  [[ -z $previous || $previous == "$(docker image inspect -f '{{.Id}}' "$image")" ]] || docker rmi "$previous" >/dev/null 2>&1 || true
}

cached() { # cached IMAGE KEY
  [[ -z $force ]] && [[ $(docker image inspect -f '{{index .Config.Labels "dev.clockwork.build-key"}}' "$1" 2>/dev/null) == "$2" ]]
}

build_prometheus() {
  local key=$base_key-$script_hash-prometheus
  if cached "$PROMETHEUS_IMAGE" "$key"; then log "$PROMETHEUS_IMAGE is up to date"; return; fi
  build_base
  local t=$SECONDS root
  root=$(new_root prometheus)
  chroot_install "$root" prometheus
  local version
  version=$(chroot "$root" dpkg-query -W -f '${Version}' prometheus)
  [[ $version == "${PROMETHEUS_IMAGE##*:}"* ]] || log "warning: Debian's prometheus is $version, tagged $PROMETHEUS_IMAGE"
  # Same layout as prom/prometheus: config in /etc/prometheus, data in /prometheus (writable by its user).
  mkdir -p "$root/prometheus"
  chroot "$root" chown prometheus:prometheus /prometheus
  # The classic web UI links libjs-moment-timezone's scripts; its raw tz data (~210 MB) is unused.
  rm -rf "$root/usr/share/javascript/moment-timezone/data"
  rm -f "$root/usr/sbin/policy-rc.d"
  slim "$root"
  docker_import "$root" "$PROMETHEUS_IMAGE" "$key" \
    'ENTRYPOINT ["/usr/bin/prometheus"]' \
    'CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus", "--web.console.libraries=/etc/prometheus/console_libraries", "--web.console.templates=/etc/prometheus/consoles"]' \
    'USER prometheus' 'WORKDIR /prometheus' 'EXPOSE 9090' \
    "LABEL dev.clockwork.debian-package=prometheus=$version"
  log "built $PROMETHEUS_IMAGE (prometheus $version) in $((SECONDS - t)) s"
}

build_postgres() {
  local key=$base_key-$script_hash-postgres-$(sha256sum "$here/postgres-entrypoint.sh" | cut -c1-12)
  if cached "$POSTGRES_IMAGE" "$key"; then log "$POSTGRES_IMAGE is up to date"; return; fi
  build_base
  local t=$SECONDS root
  root=$(new_root postgres)
  # The same user and group IDs as the official image (999), made before the package would pick
  # its own: a stack that says runAsUser 999 runs on either image.
  chroot "$root" groupadd -r -g 999 postgres
  chroot "$root" useradd -r -g postgres -u 999 -d /var/lib/postgresql -s /bin/bash postgres
  chroot_install "$root" "postgresql-$PG_MAJOR"
  local version
  version=$(chroot "$root" dpkg-query -W -f '${Version}' "postgresql-$PG_MAJOR")
  # The package made a `main` cluster; the image initialises its own from env on first start.
  rm -rf "$root/etc/postgresql/$PG_MAJOR" "$root/var/lib/postgresql/$PG_MAJOR"
  # LLVM JIT (libLLVM, ~130 MB with libz3) is optional: drop it and turn jit off in the template
  # initdb copies (without it PostgreSQL would simply report JIT as unavailable).
  rm -f "$root/usr/lib/postgresql/$PG_MAJOR/lib/llvmjit"*
  rm -rf "$root/usr/lib/postgresql/$PG_MAJOR/lib/bitcode"
  rm -f "$root"/usr/lib/x86_64-linux-gnu/libLLVM-*.so* "$root"/usr/lib/x86_64-linux-gnu/libz3.so*
  printf '\njit = off  # clockwork-local image: LLVM JIT not installed\n' >>"$root/usr/share/postgresql/$PG_MAJOR/postgresql.conf.sample"
  install -d -m 2777 "$root/var/run/postgresql"
  install -d -m 0700 "$root/var/lib/postgresql/data" "$root/docker-entrypoint-initdb.d"
  chroot "$root" chown -R postgres:postgres /var/run/postgresql /var/lib/postgresql
  install -m 0755 "$here/postgres-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
  # Runs as the postgres user from the start (its directories are its own already), so it also
  # starts where every capability is dropped — the restricted context Clockwork gives Pods.
  chroot_uid() { chroot "$root" id -u "$1"; }
  rm -f "$root/usr/sbin/policy-rc.d"
  slim "$root"
  docker_import "$root" "$POSTGRES_IMAGE" "$key" \
    'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' 'CMD ["postgres"]' \
    "USER $(chroot_uid postgres)" \
    "ENV PATH=/usr/lib/postgresql/$PG_MAJOR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    'ENV PGDATA=/var/lib/postgresql/data' 'ENV LANG=C.UTF-8' "ENV PG_MAJOR=$PG_MAJOR" \
    'EXPOSE 5432' \
    "LABEL dev.clockwork.debian-package=postgresql-$PG_MAJOR=$version"
  log "built $POSTGRES_IMAGE (postgresql-$PG_MAJOR $version) in $((SECONDS - t)) s"
}

node_bin=${NODE_BIN:-$(readlink -f "$repo/node_modules/.bin/node" 2>/dev/null || true)}

# install_node ROOT: the project's Node 24 binary as /usr/local/bin/node, without debug symbols.
install_node() {
  [[ -x $node_bin ]] || { log "no Node binary at $node_bin (run make setup)"; exit 1; }
  install -m 0755 "$node_bin" "$1/usr/local/bin/node"
  if command -v strip >/dev/null; then strip "$1/usr/local/bin/node" 2>/dev/null || install -m 0755 "$node_bin" "$1/usr/local/bin/node"; fi
}

build_api_service() {
  [[ -x $node_bin ]] || { log "no Node binary at $node_bin (run make setup)"; exit 1; }
  [[ -d $app_dir/node_modules ]] || (cd "$app_dir" && PATH=$(dirname "$node_bin"):$PATH npm ci --no-audit --no-fund >&2)
  local app_hash
  app_hash=$(cd "$app_dir" && { cat package.json package-lock.json; find src -type f | sort | xargs cat; sha256sum "$node_bin"; } | sha256sum | cut -c1-16)
  local key=$base_key-$script_hash-api-$app_hash
  if cached "$API_IMAGE" "$key"; then log "$API_IMAGE is up to date"; return; fi
  build_base
  local t=$SECONDS root
  root=$(new_root api-service)
  install_node "$root"
  # The app as its Dockerfile lays it out: /app/{package.json,package-lock.json,src,node_modules}, production deps only.
  mkdir -p "$root/app"
  cp -a "$app_dir/package.json" "$app_dir/package-lock.json" "$app_dir/src" "$app_dir/node_modules" "$root/app/"
  (cd "$root/app" && PATH=$(dirname "$node_bin"):$PATH npm prune --omit=dev --offline --no-audit --no-fund >/dev/null 2>&1) || {
    log "npm prune failed; removing dev-only @types instead"; rm -rf "$root/app/node_modules/@types"; }
  rmdir "$root/app/node_modules/@types" 2>/dev/null || true
  # Like the official node image: user `node` (uid 1000).
  chroot "$root" groupadd --gid 1000 node
  chroot "$root" useradd --uid 1000 --gid node --shell /bin/sh --create-home node
  chroot "$root" chown -R root:root /app
  rm -f "$root/usr/sbin/policy-rc.d"
  slim "$root"
  docker_import "$root" "$API_IMAGE" "$key" \
    'CMD ["node", "src/server.ts"]' 'WORKDIR /app' 'USER node' \
    'ENV NODE_ENV=production' 'ENV PORT=8000' 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'EXPOSE 8000' "LABEL dev.clockwork.node-version=$("$node_bin" --version)"
  log "built $API_IMAGE (node $("$node_bin" --version)) in $((SECONDS - t)) s"
}

# The operator as the Dockerfile lays it out (/app: package.json, dist (compiled), crds,
# production node_modules), run as uid 65532 with nothing written at run time.
build_operator() {
  local src_hash
  src_hash=$(cd "$repo" && { cat package.json package-lock.json; find sdk/src operator/src crds -type f | sort | xargs cat; sha256sum "$node_bin"; } | sha256sum | cut -c1-16)
  local key=$base_key-$script_hash-operator-$src_hash
  if cached "$OPERATOR_IMAGE" "$key"; then log "$OPERATOR_IMAGE is up to date"; return; fi
  build_base
  local t=$SECONDS root
  root=$(new_root operator)
  install_node "$root"
  # The JavaScript the operator runs (make build): compiled from the sources hashed above.
  (cd "$repo" && PATH=$(dirname "$node_bin"):$PATH node_modules/.bin/tsc -p tsconfig.build.json) || { log "tsc -p tsconfig.build.json failed"; exit 1; }
  mkdir -p "$root/app"
  cp -a "$repo/package.json" "$repo/package-lock.json" "$repo/crds" "$root/app/"
  cp -a "$repo/dist" "$root/app/dist"
  rm -f "$root/app/dist/.tsbuildinfo" "$root/app/dist/.built"
  # Production dependencies only: a copy of node_modules pruned against the lock file (offline).
  cp -a "$repo/node_modules" "$root/app/"
  (cd "$root/app" && PATH=$(dirname "$node_bin"):$PATH npm prune --omit=dev --offline --no-audit --no-fund >/dev/null 2>&1) || { log "npm prune --omit=dev failed"; exit 1; }
  chroot "$root" chown -R root:root /app
  rm -f "$root/usr/sbin/policy-rc.d"
  slim "$root"
  docker_import "$root" "$OPERATOR_IMAGE" "$key" \
    'ENTRYPOINT ["node", "--max-semi-space-size=2", "/app/dist/operator/src/main.js"]' 'WORKDIR /app' 'USER 65532:65532' \
    'ENV NODE_ENV=production' 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' 'EXPOSE 8080'
  log "built $OPERATOR_IMAGE in $((SECONDS - t)) s"
}

start=$SECONDS
wanted operator && build_operator
wanted prometheus && build_prometheus
wanted postgres && build_postgres
wanted api-service && build_api_service

[[ -z $only_operator ]] || { log "done in $((SECONDS - start)) s"; exit 0; }
map="$PROMETHEUS_UPSTREAM=$PROMETHEUS_IMAGE,$POSTGRES_UPSTREAM=$POSTGRES_IMAGE"
printf '# written by test/images/build-example-images.sh; use: set -a; . %s; set +a\nCLOCKWORK_IMAGE_MAP=%s\n' "$CACHE/image-map.env" "$map" >"$CACHE/image-map.env"
log "done in $((SECONDS - start)) s; image map in $CACHE/image-map.env"
for i in "$PROMETHEUS_IMAGE" "$POSTGRES_IMAGE" "$API_IMAGE"; do
  docker image inspect -f "{{.Size}}" "$i" >/dev/null 2>&1 && log "  $i $(( $(docker image inspect -f '{{.Size}}' "$i") / 1000000 )) MB"
done
echo "CLOCKWORK_IMAGE_MAP=$map"
