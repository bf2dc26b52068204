#!/usr/bin/env bash
# The benchmarks, one after another; each writes $RESULTS_DIR/<name>.txt (and .tsv).
# Usage: bench/run.sh [BUILD_DIR]   env: DURATION (s, default 10), ROUNDS (default 3)
set -euo pipefail
BUILD_DIR=${1:-build}
BIN="$(cd "$BUILD_DIR/bin" && pwd)"
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=64
WORK=$(mktemp -d /tmp/rapport-bench.XXXXXX)
chmod 755 "$WORK"  # nginx workers run as an unprivileged user
RESULTS_DIR=${RESULTS_DIR:-bench/results}
mkdir -p "$RESULTS_DIR"
# The machine of this run, for the README table's stamp (bench/readme_table.py).
printf 'date: %s\ncores: %s\ncpu: %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc)" \
  "$(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)" > "$RESULTS_DIR/machine.txt"
cleanup() {
  [ -n "${RAPPORTD_PID:-}" ] && kill "$RAPPORTD_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# HTTP: authenticated GET /v1/brands/{id} and /healthz against tuned nginx (bench/http_benchmark.sh).
DURATION=$DURATION ROUNDS=$ROUNDS RESULTS_DIR=$RESULTS_DIR bash bench/http_benchmark.sh "$BUILD_DIR"

# JSON library choice: Boost.JSON against simdjson, medians of 5 repetitions.
"$BIN/rapport_json_benchmark" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_format=csv 2>/dev/null | grep '_median' > "$WORK/json.csv"
ns() { grep "^\"$1_median\"" "$WORK/json.csv" | cut -d, -f3; }
JSON_SUMMARY=$(python3 - "$(ns BM_BoostJsonParse/0)" "$(ns BM_SimdjsonParse/0)" "$(ns BM_BoostJsonParse/1)" \
  "$(ns BM_SimdjsonParse/1)" "$(ns BM_BoostJsonSerialize/0)" "$(ns BM_SimdjsonSerialize/0)" \
  "$(ns BM_BoostJsonSerialize/1)" "$(ns BM_SimdjsonSerialize/1)" <<'PY'
import sys
v = [float(x) for x in sys.argv[1:]]
rows = [("parse brand", v[0], v[1]), ("parse 50-brand page", v[2], v[3]),
        ("serialize brand", v[4], v[5]), ("serialize 50-brand page", v[6], v[7])]
print("json (median ns; ratio boost/simdjson, >1 means Boost.JSON is slower):")
for name, b, s in rows:
    print(f"  {name:24s} boost.json {b:9.0f}  simdjson {s:9.0f}  ratio {b/s:5.2f}")
PY
)
echo "$JSON_SUMMARY"
echo "$JSON_SUMMARY" > "$RESULTS_DIR/json.txt"

# Job engine throughput on SQLite (group commit) against the store's raw per-job claim + complete
# transactions (bench/jobs_benchmark.cpp); it writes jobs.tsv.
RESULTS_DIR="$RESULTS_DIR" "$BIN/rapport_jobs_benchmark" --rounds "${JOBS_ROUNDS:-3}" \
  --work "$WORK/jobs" | tee "$RESULTS_DIR/jobs.txt"

# A brand run (3 regions x 50 prompts x 4 platforms) against an instant local provider: wall time
# and the share spent outside provider calls (bench/brand_benchmark.cpp).
"$BIN/rapport_brand_benchmark" --rapportd "$BIN/rapportd" --rounds "${BRAND_ROUNDS:-5}" \
  --work "$WORK/brand" | tee "$RESULTS_DIR/brand_run.txt"

# SLA uptime: Rapport's engine against PostgreSQL range_agg on the same 1,000,000 faults over
# 10,000 sites and 30 days; the on-demand run through rapportd against math + PDF rendering of
# the same report (<= 3x), and "run now" on 100 sites / 7 days (<= 2x) (bench/sla_benchmark.cpp;
# it also writes $RESULTS_DIR/sla_uptime.tsv).
PG_DIR="$WORK/pg"
mkdir -p "$PG_DIR"
PG_CONNINFO=$(bash scripts/pg-cluster.sh start "$PG_DIR")
trap 'bash scripts/pg-cluster.sh stop "$PG_DIR"; cleanup' EXIT
SLA_BENCH_DUMP=${SLA_BENCH_DUMP:-/tmp} "$BIN/rapport_sla_benchmark" --pg "$PG_CONNINFO" --rapportd "$BIN/rapportd" \
  --rounds "${SLA_ROUNDS:-5}" --small-rounds "${SLA_SMALL_ROUNDS:-20}" --work "$WORK/sla" \
  --results-dir "$RESULTS_DIR" | tee "$RESULTS_DIR/sla_uptime.txt"

# No-op jobs on PostgreSQL: Rapport's job engine against graphile-worker 0.18.0, tuned as its
# performance page does and as installed, draining the same queue on the same cluster with 1 and 3
# nodes × 4 and 16 workers, plus enqueue→start latency on an idle node (bench/pg_jobs_benchmark.cpp;
# it writes pg_jobs.txt and pg_jobs.tsv itself). Five rounds: a drain lasts well under a second,
# and on a 2-core VM paired rounds of the same configuration swung by ±20%, so that a median of
# three could land either side of 1.0× with nothing changed.
(cd bench/graphile && npm ci --no-audit --no-fund --silent)
"$BIN/rapport_pg_jobs_benchmark" --database-url "$PG_CONNINFO" --graphile bench/graphile \
  --rounds "${PG_JOBS_ROUNDS:-5}" --jobs "${PG_JOBS_COUNT:-20000}" --results-dir "$RESULTS_DIR"

# Scheduler: 100,000 SLA schedules due at once against the raw batched insert of the same rows, on
# SQLite and on the PostgreSQL cluster above; writes scheduler.txt/.tsv (bench/scheduler_benchmark.cpp).
"$BIN/rapport_scheduler_benchmark" --pg "$PG_CONNINFO" --rounds "${SCHEDULER_ROUNDS:-3}" \
  --work "$WORK/scheduler" --results-dir "$RESULTS_DIR"

# PDF rendering: Rapport's cairo + pango renderer against headless Chromium printing the same
# report as HTML, for 1,000 and 10,000 sites: time and peak memory (bench/pdf_benchmark.cpp).
# It checks both PDFs' text and writes pdf_render.txt and pdf_render.tsv itself.
"$BIN/rapport_pdf_benchmark" --chromium "$(command -v chromium)" --rounds "${PDF_ROUNDS:-3}" \
  --work "$WORK/pdf" --results "$RESULTS_DIR"
