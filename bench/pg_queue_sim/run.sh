#!/usr/bin/env bash
# Usage: bench/pg_queue_sim/run.sh CLUSTER_DIR VARIANT CLIENTS BATCH ROUNDS_PER_CLIENT
# CLUSTER_DIR: a cluster from scripts/pg-cluster.sh (its URL in CLUSTER_DIR/url). Prints the
# cluster's CPU time per finished job (postmaster and its children, dead and alive, from /proc).
set -euo pipefail
dir=$1 variant=$2 clients=$3 batch=$4 rounds=$5
here=$(cd "$(dirname "$0")" && pwd)
url=$(cat "$dir/url")
cpu_ticks() {  # utime + stime of the postmaster, its reaped children and its live children
  local pm t v
  pm=$(head -1 "$dir/data/postmaster.pid")
  t=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat")
  for c in $(pgrep -P "$pm"); do
    v=$(awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null || true)
    t=$((t + ${v:-0}))
  done
  echo "$t"
}
psql -q -v ON_ERROR_STOP=1 "$url" -f "$here/$variant.sql" > /dev/null
psql -q "$url" -c checkpoint
counters() {  # WAL bytes so far, shared buffers hit and read: load-independent, unlike the CPU
  psql -qAt -F' ' "$url" -c "SELECT pg_current_wal_lsn() - '0/0', blks_hit + blks_read \
    FROM pg_stat_database WHERE datname = current_database()"
}
read -r w0 b0 <<< "$(counters)"
c0=$(cpu_ticks)
t0=$(date +%s.%N)
script="$here/$variant.pgbench"
[ -f "$script" ] || script="$here/single.pgbench"  # variants of the schema alone
pgbench -n -M prepared -D batch="$batch" -D ids={} -f "$script" -c "$clients" -j "$clients" \
  -t "$rounds" "$url" > /tmp/pg_queue_sim.log 2>&1 || { cat /tmp/pg_queue_sim.log; exit 1; }
t1=$(date +%s.%N)
c1=$(cpu_ticks)
sleep 0.6  # the statistics collector's next report
read -r w1 b1 <<< "$(counters)"
done=$(psql -qAt "$url" -c "SELECT count(*) FROM jobs WHERE status = 'completed'")
python3 - "$variant" "$clients" "$batch" "$done" "$c0" "$c1" "$t0" "$t1" "$(getconf CLK_TCK)" \
  "$w0" "$w1" "$b0" "$b1" <<'PY'
import sys
v, clients, batch, done, c0, c1, t0, t1, hz, w0, w1, b0, b1 = sys.argv[1:]
done = int(done)
assert done > 0, "no job finished"
us = (int(c1) - int(c0)) / int(hz) * 1e6 / done
print(f"{v}: {clients} clients, batches of {batch}: {done} jobs finished, "
      f"{us:.1f} µs of PostgreSQL CPU per job, {float(t1) - float(t0):.2f} s, "
      f"{(float(w1) - float(w0)) / done:.0f} WAL bytes and "
      f"{(int(b1) - int(b0)) / done:.1f} buffer accesses per job")
PY
