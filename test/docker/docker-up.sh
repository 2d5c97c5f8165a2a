#!/usr/bin/env bash
# Ensures a Docker engine answers: installs docker.io + iptables from Debian when
# missing and starts dockerd (nohup, logging to $DOCKERD_LOG) when no engine answers.
# A running engine is left alone.
set -euo pipefail
DOCKERD_LOG=${DOCKERD_LOG:-/var/log/clockwork-dockerd.log}

engine_answers() { timeout 10 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if command -v docker >/dev/null && engine_answers; then
  echo "docker-up: engine $(docker version --format '{{.Server.Version}}') already running"
  exit 0
fi

if ! command -v dockerd >/dev/null || ! command -v iptables >/dev/null || ! command -v docker >/dev/null; then
  [[ $(id -u) == 0 ]] || { echo "docker-up: need root to install docker.io" >&2; exit 1; }
  echo "docker-up: installing docker.io iptables from Debian"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io iptables >/dev/null
fi

if [[ -S /var/run/docker.sock ]] && ! pgrep -x dockerd >/dev/null; then
  rm -f /var/run/docker.sock /var/run/docker.pid
fi
if ! pgrep -x dockerd >/dev/null; then
  echo "docker-up: starting dockerd (log: $DOCKERD_LOG)"
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  # Only stdin, stdout and stderr: a daemon that inherits its caller's other descriptors keeps
  # whatever they hold (a flock of the caller's) for as long as it runs.
  (for fd in /proc/$BASHPID/fd/*; do fd=${fd##*/}; [[ $fd -gt 2 ]] && eval "exec $fd>&-"; done; exec nohup dockerd >>"$DOCKERD_LOG" 2>&1 </dev/null) &
  disown || true
fi
for _ in $(seq 1 120); do
  if engine_answers; then
    echo "docker-up: engine $(docker version --format '{{.Server.Version}}') is up"
    exit 0
  fi
  sleep 0.5
done
echo "docker-up: dockerd did not answer within 60s; last log lines:" >&2
tail -n 30 "$DOCKERD_LOG" >&2 || true
exit 1
