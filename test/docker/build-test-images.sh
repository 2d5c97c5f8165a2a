#!/usr/bin/env bash
# Builds the local test images (no registry is reachable, so nothing is ever pulled):
#   clockwork-test/busybox:1  busybox-static rootfs (httpd, nc, sh, sleep, wget ...)
#   clockwork-test/pause:1    static pause process used as the real node's sandbox image
# An image that already exists locally is skipped (pass --force to rebuild).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
BUSYBOX_IMAGE=${BUSYBOX_IMAGE:-clockwork-test/busybox:1}
PAUSE_IMAGE=${PAUSE_IMAGE:-clockwork-test/pause:1}
force=${1:-}

"$here/docker-up.sh" >/dev/null

# Bump when an image's content changes: an existing image with another revision label is rebuilt.
IMAGES_REV=2
have() {
  [[ $force != --force ]] &&
    [[ $(docker image inspect -f '{{index .Config.Labels "dev.clockwork.test-image-rev"}}' "$1" 2>/dev/null) == "$IMAGES_REV" ]]
}
need_pkg() { # need_pkg CMD-PATH PACKAGE...
  [[ -e $1 ]] && return
  shift
  echo "build-test-images: installing $* from Debian"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if have "$BUSYBOX_IMAGE"; then
  echo "build-test-images: $BUSYBOX_IMAGE exists"
else
  need_pkg /bin/busybox busybox-static
  bb=/bin/busybox
  file -L "$bb" 2>/dev/null | grep -q 'statically linked' || bb=$(dpkg -L busybox-static | grep -m1 '/busybox$')
  r=$tmp/busybox
  mkdir -p "$r"/{bin,etc,tmp,var/www,home,root,proc,sys,dev}
  chmod 1777 "$r/tmp"
  cp "$bb" "$r/bin/busybox"
  for a in $("$r/bin/busybox" --list); do [[ $a == busybox ]] || ln -sf busybox "$r/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/sh\napp:x:1000:1000:app:/home:/bin/sh\n' >"$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\napp:x:1000:\n' >"$r/etc/group"
  echo 'clockwork test image' >"$r/var/www/index.html"
  # Debian's static busybox wget segfaults (even on an IP): remove it, provide http-get (nc-based).
  rm -f "$r/bin/wget"
  cat >"$r/bin/http-get" <<'SH'
#!/bin/sh
# http-get HOST[:PORT] [PATH] [TIMEOUT_S]: HTTP/1.0 GET through nc; prints the body,
# exits 0 on status 200, 1 on another status, 2 when the server could not be reached.
hp=$1 path=${2:-/} t=${3:-5}
host=${hp%%:*} port=${hp##*:}
[ "$port" = "$hp" ] && port=80
printf 'GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$host" | nc -w "$t" "$host" "$port" |
  awk 'NR == 1 { if ($2 != "200") bad = 1; next }
       !body { if ($0 == "\r" || $0 == "") body = 1; next }
       { print }
       END { if (NR == 0) exit 2; exit bad }'
SH
  chmod 755 "$r/bin/http-get"
  tar -C "$r" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/bin' --change 'WORKDIR /' --change 'CMD ["/bin/sh"]' \
    --change "LABEL dev.clockwork.test-image-rev=$IMAGES_REV" - "$BUSYBOX_IMAGE" >/dev/null
  echo "build-test-images: built $BUSYBOX_IMAGE"
fi

if have "$PAUSE_IMAGE"; then
  echo "build-test-images: $PAUSE_IMAGE exists"
else
  need_pkg /usr/bin/gcc gcc libc6-dev
  r=$tmp/pause
  mkdir -p "$r"
  gcc -Os -static -o "$r/pause" "$repo/test/cluster/pause/pause.c"
  strip "$r/pause" 2>/dev/null || true
  tar -C "$r" --numeric-owner -c . | docker import \
    --change 'ENTRYPOINT ["/pause"]' --change 'USER 65535:65535' \
    --change "LABEL dev.clockwork.test-image-rev=$IMAGES_REV" - "$PAUSE_IMAGE" >/dev/null
  echo "build-test-images: built $PAUSE_IMAGE"
fi
