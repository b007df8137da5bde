#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests and the bench: made under DIR, listening on
# 127.0.0.1 on a free port (and on a unix socket in DIR), TLS on, fsync off, trust for local users
# (role lg_secret, with a password, is the exception: it checks that passwords stay out of
# messages). Run as root, the server runs as the `postgres` user (it refuses root).
#
#   scripts/postgres_server.sh start DIR   # prints the connection string on stdout
#   scripts/postgres_server.sh stop DIR    # stops it (DIR stays: its maker removes it)
#
# LG_POSTGRES_BIN names the server's binaries (default /usr/lib/postgresql/15/bin).
set -euo pipefail

bin="${LG_POSTGRES_BIN:-/usr/lib/postgresql/15/bin}"
action="${1:-}"
dir="${2:-}"
if [[ -z "$action" || -z "$dir" ]]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi
dir="$(cd "$dir" && pwd)"

# Runs a server binary as the user the server may run as.
as_server() {
  if [[ "$(id -u)" == 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "$action" in
  start)
    if [[ ! -x "$bin/initdb" ]]; then
      echo "$bin/initdb not found: install postgresql-15 (scripts/install-deps.sh)" >&2
      exit 1
    fi
    if [[ "$(id -u)" == 0 ]]; then
      chown postgres: "$dir"
    fi
    as_server "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # TLS with a certificate of its own: clients' default (sslmode=prefer) takes it, as they
    # would in production.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
      -subj "/CN=localhost" -keyout "$dir/data/server.key" -out "$dir/data/server.crt" \
      >/dev/null 2>&1
    chmod 600 "$dir/data/server.key"
    if [[ "$(id -u)" == 0 ]]; then
      chown postgres: "$dir/data/server.key" "$dir/data/server.crt"
    fi
    cat >"$dir/data/pg_hba.conf" <<'EOF'
local all all trust
host all lg_secret 127.0.0.1/32 scram-sha-256
host all all 127.0.0.1/32 trust
EOF
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
ssl = on
EOF
    # Another program may take the port between the pick and the start: pick again.
    started=""
    for _ in 1 2 3 4 5; do
      port="$(free_port)"
      if as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port" start >/dev/null 2>&1; then
        started=yes
        break
      fi
    done
    if [[ -z "$started" ]]; then
      echo "the server did not start; its log:" >&2
      cat "$dir/server.log" >&2
      exit 1
    fi
    psql() { "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
    psql -d postgres -c "CREATE DATABASE lg_test" >/dev/null
    psql -d postgres -c "CREATE ROLE lg_secret LOGIN PASSWORD 'lg-secret-password'" >/dev/null
    echo "postgresql://postgres@127.0.0.1:$port/lg_test"
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      as_server "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null
    fi
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
