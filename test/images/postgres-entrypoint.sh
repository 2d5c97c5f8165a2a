#!/bin/bash
# Entrypoint of clockwork-local/postgres: behaves like the official postgres image's for the
# parts Clockwork examples use.
#   POSTGRES_PASSWORD   required (unless POSTGRES_HOST_AUTH_METHOD=trust)
#   POSTGRES_USER       superuser created by initdb (default: postgres)
#   POSTGRES_DB         database created on first start (default: $POSTGRES_USER)
#   POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (default scram-sha-256), PGDATA
#   /docker-entrypoint-initdb.d/*.sh|*.sql run once, after the database is created.
# Started as root it prepares $PGDATA and drops to the `postgres` user; it listens on all
# addresses, port 5432, and the socket in /var/run/postgresql (so `pg_isready` works in the container);
# SIGTERM stops it quickly (see the end).
set -Eeuo pipefail

log() { printf '%s [entrypoint] %s\n' "$(date -u +'%Y-%m-%d %H:%M:%S UTC')" "$*"; }

if [[ ${1:-} == -* ]]; then set -- postgres "$@"; fi
[[ $# -gt 0 ]] || set -- postgres

if [[ $1 != postgres ]]; then exec "$@"; fi

PGDATA=${PGDATA:-/var/lib/postgresql/data}
export PGDATA

if [[ $(id -u) == 0 ]]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA"
  chown postgres:postgres /var/run/postgresql
  chmod 700 "$PGDATA"
  chmod 2777 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
fi

if [[ ! -s $PGDATA/PG_VERSION ]]; then
  POSTGRES_USER=${POSTGRES_USER:-postgres}
  POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}
  POSTGRES_HOST_AUTH_METHOD=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
  if [[ -z ${POSTGRES_PASSWORD:-} && $POSTGRES_HOST_AUTH_METHOD != trust ]]; then
    cat >&2 <<'EOF'
Error: Database is uninitialized and superuser password is not specified.
       Set POSTGRES_PASSWORD to a non-empty value for the superuser, or
       POSTGRES_HOST_AUTH_METHOD=trust to allow all connections without a password.
EOF
    exit 1
  fi
  log "initialising $PGDATA (superuser \"$POSTGRES_USER\", database \"$POSTGRES_DB\")"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of arguments
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") \
    --auth-local=trust --auth-host="$POSTGRES_HOST_AUTH_METHOD" ${POSTGRES_INITDB_ARGS:-} >/dev/null
  printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"

  # A private server to create the database and run the init scripts: no TCP, and its socket in
  # a directory of its own, so readiness probes (pg_isready) only succeed once the real server runs.
  init_socket=$(mktemp -d /tmp/pg-init.XXXXXX)
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=$init_socket -p 5432" -w -s start
  export PGHOST=$init_socket PGPORT=5432
  psql_cmd=(psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$POSTGRES_USER" --no-password)
  if [[ $POSTGRES_DB != postgres ]]; then
    "${psql_cmd[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case $f in
      *.sh) log "running $f"; . "$f" ;;
      *.sql) log "running $f"; "${psql_cmd[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
      *) ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w -s stop
  unset PGHOST PGPORT
  rm -rf "$init_socket"
  log "initialisation complete; starting PostgreSQL"
else
  log "PostgreSQL data directory $PGDATA already initialised; starting"
fi

# The official image stops with SIGINT (STOPSIGNAL, a fast shutdown). `docker import` cannot set a
# stop signal, so the default SIGTERM (a smart shutdown, which waits for every client to leave)
# is turned into SIGINT here. POSTGRES_STOP_MODE=smart keeps PostgreSQL's own handling.
if [[ ${POSTGRES_STOP_MODE:-fast} == smart ]]; then exec "$@"; fi
"$@" &
pid=$!
trap 'kill -INT "$pid" 2>/dev/null || true' TERM INT
trap 'kill -QUIT "$pid" 2>/dev/null || true' QUIT
status=0
while :; do
  wait "$pid" && status=0 || status=$?
  kill -0 "$pid" 2>/dev/null || break
done
exit "$status"
