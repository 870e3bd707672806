#!/usr/bin/env bash
# A PostgreSQL server for the tests (issue 27): a throwaway one, or an existing one named by JE_POSTGRES.
#
#   eval "$(tests/postgres.sh start)"      starts a throwaway PostgreSQL 15 and prints the variables to export:
#                                          JE_TEST_POSTGRES (the Npgsql connection string) and JE_TEST_POSTGRES_DIR
#   tests/postgres.sh stop [DIR]           stops it and removes its folder (DIR, default $JE_TEST_POSTGRES_DIR)
#
# The throwaway server: Debian's `postgresql` (apt-get install when missing, as root), `initdb` as the `postgres` user
# (or as yourself when you are not root) in a new temp folder, listening on a unix socket in that folder only (no TCP:
# listen_addresses is empty), trust authentication for that socket and nothing else. Nothing it writes outlives `stop`.
# It is tuned for tests, not for keeping data: fsync, synchronous_commit and full_page_writes are off (a test database
# lives for a test; an API process killed with -9 loses nothing either way, as PostgreSQL itself keeps running).
#
# An existing server instead: JE_POSTGRES="Host=...;Port=...;Username=...;Password=...;Database=postgres" (a role that
# may CREATE DATABASE). `start` then only checks that it answers and prints it as JE_TEST_POSTGRES; the tests create
# and drop only databases of their own (named je_test_*), and `stop` does nothing.
set -euo pipefail

version=15
bin="/usr/lib/postgresql/$version/bin"
port=5432 # the socket's name (.s.PGSQL.5432) in the server's own folder: no other server's can clash with it

log() { printf '%s\n' "$*" >&2; }

as_owner() {
  # Runs a command as the server's owner: `postgres` when we are root (initdb refuses root), ourselves otherwise.
  if [[ $(id -u) -eq 0 ]]; then
    su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

install_postgres() {
  [[ -x "$bin/initdb" && -x "$bin/pg_ctl" ]] && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    log "Installing Debian's postgresql (PostgreSQL $version)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$version" >/dev/null
    # Debian's package starts a cluster of its own on port 5432 (TCP on localhost): the tests do not use it.
  else
    log "PostgreSQL $version is missing: install it (Debian: sudo apt-get install postgresql-$version) or set JE_POSTGRES."
    exit 1
  fi
}

start() {
  if [[ -n "${JE_POSTGRES:-}" ]]; then
    printf 'export JE_TEST_POSTGRES=%q\n' "$JE_POSTGRES"
    printf 'export JE_TEST_POSTGRES_DIR=\n'
    log "Using the existing PostgreSQL server of JE_POSTGRES (the tests create and drop only je_test_* databases)."
    return 0
  fi

  install_postgres
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/je-postgres.XXXXXX")
  chmod 755 "$dir"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi

  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=reject \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { log "initdb failed:"; cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -c listen_addresses= -p $port -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null \
    || { log "PostgreSQL did not start:"; cat "$dir/server.log" >&2; stop "$dir"; exit 1; }

  printf 'export JE_TEST_POSTGRES=%q\n' "Host=$dir;Port=$port;Username=postgres;Database=postgres"
  printf 'export JE_TEST_POSTGRES_DIR=%q\n' "$dir"
  log "PostgreSQL $version started on the unix socket in $dir (no TCP)."
}

stop() {
  local dir="${1:-${JE_TEST_POSTGRES_DIR:-}}"
  [[ -z "$dir" ]] && return 0 # an existing server (JE_POSTGRES), or none was started
  if [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) log "usage: tests/postgres.sh start | stop [DIR]"; exit 2 ;;
esac
