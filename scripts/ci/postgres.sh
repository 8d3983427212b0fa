#!/usr/bin/env bash
# A private PostgreSQL server on loopback for tests and the deploy walk-through.
#   scripts/ci/postgres.sh start   # installs PostgreSQL with apt-get if absent, starts it, prints DATABASE_URL
#   scripts/ci/postgres.sh stop
#   scripts/ci/postgres.sh restart # stop (fast: sessions end, committed work is kept) and start again
#   scripts/ci/postgres.sh url
# PG_PORT (default 55432) and PG_DIR (default /tmp/switchboard-pg) choose where.
set -euo pipefail
PG_PORT="${PG_PORT:-55432}"
PG_DIR="${PG_DIR:-/tmp/switchboard-pg}"
URL="postgres://switchboard:switchboard@127.0.0.1:${PG_PORT}/switchboard"

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}

install() {
  if [ -z "$(bindir)" ]; then
    echo "Installing PostgreSQL with apt-get…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
  fi
}

start() {
  install
  local bin
  bin=$(bindir)
  mkdir -p "$PG_DIR"
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
    as_postgres "'$bin/initdb' -D '$PG_DIR/data' -A trust -U postgres >/dev/null"
  fi
  if ! as_postgres "'$bin/pg_ctl' -D '$PG_DIR/data' status" >/dev/null 2>&1; then
    as_postgres "'$bin/pg_ctl' -D '$PG_DIR/data' -l '$PG_DIR/server.log' -w -t 60 -o \"-p $PG_PORT -k '$PG_DIR' -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off\" start" >/dev/null
  fi
  for _ in $(seq 1 120); do
    if "$bin/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q; then break; fi
    sleep 0.5
  done
  "$bin/pg_isready" -h 127.0.0.1 -p "$PG_PORT" -q || { echo "PostgreSQL did not start; see $PG_DIR/server.log" >&2; exit 1; }
  "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qtAc "SELECT 1 FROM pg_roles WHERE rolname='switchboard'" | grep -q 1 ||
    "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE ROLE switchboard LOGIN CREATEDB PASSWORD 'switchboard'"
  # The tests drop their databases WITH (FORCE), which must end every backend still connected to them.
  "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "GRANT pg_signal_backend TO switchboard"
  "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qtAc "SELECT 1 FROM pg_database WHERE datname='switchboard'" | grep -q 1 ||
    "$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE switchboard OWNER switchboard"
  echo "$URL"
}

stop() {
  local bin
  bin=$(bindir) || return 0
  [ -f "$PG_DIR/data/PG_VERSION" ] || return 0
  as_postgres "'$bin/pg_ctl' -D '$PG_DIR/data' -m fast -w stop" >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|restart|url" >&2; exit 2 ;;
esac
