#!/usr/bin/env bash
# A private PostgreSQL cluster for tests and benchmarks: initdb + pg_ctl on a free loopback port,
# data and socket under DIR, trust authentication, fsync off (throwaway data).
# Usage: scripts/pg-cluster.sh start DIR   prints the postgresql:// URL (also kept in DIR/url)
#        scripts/pg-cluster.sh stop DIR
# PostgreSQL refuses to run as root; as root the server runs as the `postgres` user.
set -euo pipefail
cmd=${1:?start|stop}
dir=$(realpath -m "${2:?DIR}")
PGBIN=$(pg_config --bindir)
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    if [ -d "$dir/data" ]; then  # left by an earlier run: start afresh
      as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
      rm -rf "$dir"
    fi
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
    port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
    as_pg "$PGBIN/initdb" -D "$dir/data" -U rapport -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://rapport@127.0.0.1:$port/postgres" | tee "$dir/url"
    ;;
  stop)
    [ -d "$dir/data" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
