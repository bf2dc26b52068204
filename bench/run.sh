#!/usr/bin/env bash
# HTTP benchmark: wrk (64 connections) against authenticated GET /v1/brands/{id} on rapportd
# (SQLite store) and, in the same run, against nginx serving a static JSON file of the same size.
# Reports medians of ROUNDS alternating runs and the ratio rapportd/nginx.
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

export RAPPORT_AUTH_HS256_SECRET=bench-secret-$$
export RAPPORT_RATE_LIMIT_BURST_PER_MIN=0   # the limiter would turn the load into 429s
"$BIN/rapportd" --data-dir "$WORK/data" --listen 127.0.0.1:0 > "$WORK/rapportd.log" 2>&1 &
RAPPORTD_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/data/rapportd.addr" ] && break; sleep 0.1; done
RAPPORT_URL="http://$(cat "$WORK/data/rapportd.addr")"
TOKEN=$("$BIN/rapport" token mint --tenant bench --scope '*' --ttl 1h)
BRAND_ID=$(RAPPORT_URL=$RAPPORT_URL RAPPORT_TOKEN=$TOKEN "$BIN/rapport" --json api POST /v1/brands \
  -d '{"name":"Bench Brand","website":"https://bench.example","brand_aliases":["BB"],"competitors":["Rival"],"categories":["x"],"country":"US","language":"en"}' \
  | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')
BRAND_URL="$RAPPORT_URL/v1/brands/$BRAND_ID"
curl -s -H "Authorization: Bearer $TOKEN" "$BRAND_URL" > "$WORK/brand.json"
BYTES=$(wc -c < "$WORK/brand.json")

NGINX_PORT=$(free_port)
mkdir -p "$WORK/www" "$WORK/nginx-tmp"
cp "$WORK/brand.json" "$WORK/www/brand.json"
cat > "$WORK/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log $WORK/nginx-access.log;
  client_body_temp_path $WORK/nginx-tmp; proxy_temp_path $WORK/nginx-tmp;
  fastcgi_temp_path $WORK/nginx-tmp; uwsgi_temp_path $WORK/nginx-tmp; scgi_temp_path $WORK/nginx-tmp;
  default_type application/json;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; }
}
NGINX
nginx -c "$WORK/nginx.conf"
NGINX_URL="http://127.0.0.1:$NGINX_PORT/brand.json"
[ "$(curl -s "$NGINX_URL" | wc -c)" = "$BYTES" ] || { echo "nginx did not serve the file" >&2; exit 1; }

# Prints "<requests/s> <p99 ms>" for one wrk run.
measure() {
  local out
  out=$(wrk -t2 -c$CONNECTIONS -d"${DURATION}s" --latency "$@")
  echo "$out" >> "$WORK/wrk.log"
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}')
  local non2xx
  non2xx=$(echo "$out" | awk '/Non-2xx/ {print $5}')
  [ -z "$non2xx" ] || { echo "wrk saw $non2xx non-2xx responses" >&2; exit 1; }
  echo "$rps $p99"
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

wrk -t2 -c$CONNECTIONS -d2s -H "Authorization: Bearer $TOKEN" "$BRAND_URL" > /dev/null  # warm-up
wrk -t2 -c$CONNECTIONS -d2s "$NGINX_URL" > /dev/null
: > "$WORK/rapport.txt"; : > "$WORK/nginx.txt"
for round in $(seq 1 "$ROUNDS"); do
  measure -H "Authorization: Bearer $TOKEN" "$BRAND_URL" >> "$WORK/rapport.txt"
  measure "$NGINX_URL" >> "$WORK/nginx.txt"
  echo "round $round: rapportd $(tail -1 "$WORK/rapport.txt") | nginx $(tail -1 "$WORK/nginx.txt")  (req/s p99-ms)"
done
R_RPS=$(cut -d' ' -f1 "$WORK/rapport.txt" | median); R_P99=$(cut -d' ' -f2 "$WORK/rapport.txt" | median)
N_RPS=$(cut -d' ' -f1 "$WORK/nginx.txt" | median); N_P99=$(cut -d' ' -f2 "$WORK/nginx.txt" | median)
RATIO=$(python3 -c "print(f'{$R_RPS/$N_RPS:.2f}')")
SUMMARY=$(cat <<EOT
http_get_brand: body ${BYTES} B, wrk -t2 -c${CONNECTIONS} -d${DURATION}s, median of ${ROUNDS} rounds, $(nproc) cores
  rapportd GET /v1/brands/{id} (JWT + SQLite): ${R_RPS} req/s, p99 ${R_P99} ms
  nginx static file of the same size:           ${N_RPS} req/s, p99 ${N_P99} ms
  ratio rapportd/nginx: ${RATIO} (target >= 0.5), rapportd p99 target < 10 ms
EOT
)
echo "$SUMMARY"
echo "$SUMMARY" > "$RESULTS_DIR/http_get_brand.txt"

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

# Job engine throughput against the store's raw claim/complete rate, and scheduler lag with
# 100,000 schedules due at once (bench/jobs_benchmark.cpp).
"$BIN/rapport_jobs_benchmark" --rounds "${JOBS_ROUNDS:-3}" --work "$WORK/jobs" \
  | tee "$RESULTS_DIR/jobs_scheduler.txt"

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
"$BIN/rapport_sla_benchmark" --pg "$PG_CONNINFO" --rapportd "$BIN/rapportd" \
  --rounds "${SLA_ROUNDS:-5}" --small-rounds "${SLA_SMALL_ROUNDS:-20}" --work "$WORK/sla" \
  --results-dir "$RESULTS_DIR" | tee "$RESULTS_DIR/sla_uptime.txt"

# No-op jobs on PostgreSQL: Rapport's job engine against graphile-worker 0.18.0, tuned as its
# performance page does and as installed, draining the same queue on the same cluster with 1 and 3
# nodes × 4 and 16 workers, plus enqueue→start latency on an idle node (bench/pg_jobs_benchmark.cpp;
# it writes pg_jobs.txt and pg_jobs.tsv itself).
(cd bench/graphile && npm ci --no-audit --no-fund --silent)
"$BIN/rapport_pg_jobs_benchmark" --database-url "$PG_CONNINFO" --graphile bench/graphile \
  --rounds "${PG_JOBS_ROUNDS:-3}" --jobs "${PG_JOBS_COUNT:-20000}" --results-dir "$RESULTS_DIR"

# Scheduler: 100,000 SLA schedules due at once against the raw batched insert of the same rows, on
# SQLite and on the PostgreSQL cluster above; writes scheduler.txt/.tsv (bench/scheduler_benchmark.cpp).
"$BIN/rapport_scheduler_benchmark" --pg "$PG_CONNINFO" --rounds "${SCHEDULER_ROUNDS:-3}" \
  --work "$WORK/scheduler" --results-dir "$RESULTS_DIR"

# PDF rendering: Rapport's cairo + pango renderer against headless Chromium printing the same
# report as HTML, for 1,000 and 10,000 sites: time and peak memory (bench/pdf_benchmark.cpp).
# It checks both PDFs' text and writes pdf_render.txt and pdf_render.tsv itself.
"$BIN/rapport_pdf_benchmark" --chromium "$(command -v chromium)" --rounds "${PDF_ROUNDS:-3}" \
  --work "$WORK/pdf" --results "$RESULTS_DIR"
