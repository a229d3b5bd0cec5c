#!/usr/bin/env bash
# What the queue-mode suite (e2e/queue/) needs besides n8n: PostgreSQL and redis-server from
# Debian's packages, installed with apt-get when missing (CI: a fresh machine, run as root).
# The packages' own services are not started: the suite runs throwaway instances on its own ports.
# Prints two lines for e2e/lib/queueCluster.mjs on stdout (progress goes to stderr):
#   PG_BIN=<folder with initdb, postgres, createdb>
#   REDIS_SERVER=<path of redis-server>
set -euo pipefail

find_pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/postgres" ]; then
      echo "$dir"
      return 0
    fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return 0
  fi
  return 1
}

find_redis() {
  command -v redis-server 2>/dev/null || { [ -x /usr/bin/redis-server ] && echo /usr/bin/redis-server; }
}

missing=()
find_pg_bin >/dev/null || missing+=(postgresql)
find_redis >/dev/null || missing+=(redis-server)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "Missing ${missing[*]}: install them (apt-get install -y ${missing[*]}) or run as root." >&2
    exit 1
  fi
  echo "Installing ${missing[*]} with apt-get..." >&2
  # Keep the packages' services from starting on their default ports (policy-rc.d, as in
  # Docker images); removed again only if this script created it.
  created_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    created_policy=1
  fi
  trap '[ -n "$created_policy" ] && rm -f /usr/sbin/policy-rc.d' EXIT
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y --no-install-recommends "${missing[@]}" >&2; then
    apt-get update >&2
    apt-get install -y --no-install-recommends "${missing[@]}" >&2
  fi
fi

pg_bin=$(find_pg_bin) || { echo "PostgreSQL's initdb not found after installing" >&2; exit 1; }
redis=$(find_redis) || { echo "redis-server not found after installing" >&2; exit 1; }
echo "PG_BIN=$pg_bin"
echo "REDIS_SERVER=$redis"
