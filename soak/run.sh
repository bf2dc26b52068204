#!/usr/bin/env bash
# Soak (issue 9): SOAK_SECONDS (default 600) of mixed API load on rapportd (SQLite) with wrk at a
# fixed rate (soak/mix.lua: reads, fault writes, PDF downloads, SLA runs), then: errors must be 0,
# p50/p99 latency, and rapportd's RSS at start (after a warm-up) and end must grow < 5 %.
# Usage: soak/run.sh [BUILD_DIR]   env: SOAK_SECONDS, SOAK_CONNECTIONS (8), SOAK_PACE_MS (40)
set -euo pipefail
BIN="$(cd "${1:-build}/bin" && pwd)"
SECONDS_TOTAL=${SOAK_SECONDS:-600}
CONNECTIONS=${SOAK_CONNECTIONS:-8}
export SOAK_PACE_MS=${SOAK_PACE_MS:-40}
WORK=$(mktemp -d /tmp/rapport-soak.XXXXXX)
RESULTS_DIR=${RESULTS_DIR:-bench/results}
mkdir -p "$RESULTS_DIR"
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

export RAPPORT_AUTH_HS256_SECRET=soak-secret-$$-0123456789abcdef
export RAPPORT_RATE_LIMIT_BURST_PER_MIN=0 RAPPORT_LOG_REQUESTS=false
export RAPPORT_JOB_QUEUE_PER_TENANT=1000000 RAPPORT_JOB_QUEUE_TOTAL=1000000
"$BIN/rapportd" --data-dir "$WORK/data" --listen 127.0.0.1:0 > "$WORK/rapportd.log" 2>&1 &
PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/data/rapportd.addr" ] && break; sleep 0.1; done
export RAPPORT_URL="http://$(cat "$WORK/data/rapportd.addr")"
export RAPPORT_TOKEN=$("$BIN/rapport" token mint --tenant soak --scope '*' --ttl 24h)
api() { "$BIN/rapport" --json api "$@"; }
id() { python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])'; }
export SOAK_TOKEN=$RAPPORT_TOKEN
export SOAK_BRAND=$(api POST /v1/brands -d '{"name":"Soak","website":"https://soak.example"}' | id)
# The reported site has a month of faults from the start (300, in one bulk request); the faults
# the load writes go to 20 other sites, so the database grows through the run but every report
# does the same work (writing them to the reported site made each report read ~11,000 faults by
# the end of a 10-minute run, and its memory grow with them).
SITE=$(api POST /sites -d '{"name":"HQ","timezone":"UTC"}' | id)
python3 - "$SITE" > "$WORK/faults.json" <<'PY'
import json, sys
site = sys.argv[1]
faults = [{"resource_id": site, "type": "site", "severity": "LOW",
           "created_at": f"2026-10-{1 + i % 30:02d}T{i % 24:02d}:00:00Z",
           "resolved_at": f"2026-10-{1 + i % 30:02d}T{i % 24:02d}:20:00Z"} for i in range(300)]
print(json.dumps({"faults": faults}))
PY
api POST /faults/bulk -d "$(cat "$WORK/faults.json")" > /dev/null
SOAK_SITES=""
for i in $(seq 1 20); do
  SOAK_SITES="$SOAK_SITES${SOAK_SITES:+,}$(api POST /sites -d "{\"name\":\"edge $i\",\"timezone\":\"UTC\"}" | id)"
done
export SOAK_SITES
export SOAK_SCHEDULE=$(api POST /reports/sla/schedules \
  -d "{\"name\":\"soak\",\"timezone\":\"UTC\",\"sites\":[\"$SITE\"]}" | id)
JOB=$(api POST "/reports/sla/schedules/$SOAK_SCHEDULE/run" \
  -d '{"from_date":"2026-10-01","to_date":"2026-10-31"}' |
  python3 -c 'import json,sys;print(json.load(sys.stdin)["job_id"])')
for _ in $(seq 1 100); do
  STATUS=$(api GET "/v1/jobs/$JOB" | python3 -c 'import json,sys;print(json.load(sys.stdin)["status"])')
  [ "$STATUS" = completed ] && break
  sleep 0.1
done
[ "$STATUS" = completed ] || { echo "soak: the seed report's job is $STATUS" >&2; exit 1; }
export SOAK_REPORT=$(api GET /reports/sla/reports | python3 -c 'import json,sys;print(json.load(sys.stdin)["data"][0]["id"])')

rss() { awk '/VmRSS/ {print $2}' "/proc/$PID/status"; }
WARMUP=$(( SECONDS_TOTAL / 10 > 5 ? SECONDS_TOTAL / 10 : 5 ))
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s soak/mix.lua "$RAPPORT_URL" > "$WORK/warmup.txt"
RSS_START=$(rss)
# RSS every tenth of the run, to tell a plateau from a leak.
( for _ in $(seq 1 10); do sleep $(( SECONDS_TOTAL / 10 )); rss; done > "$WORK/rss.txt" ) &
SAMPLER=$!
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_TOTAL}s" --timeout 10s -s soak/mix.lua "$RAPPORT_URL" \
  > "$WORK/wrk.txt"
wait "$SAMPLER" || true
RSS_END=$(rss)
LINE=$(grep '^SOAK requests=' "$WORK/wrk.txt")
REQUESTS=$(echo "$LINE" | sed 's/.*requests=\([0-9]*\).*/\1/')
NON2XX=$(echo "$LINE" | sed 's/.*non2xx=\([0-9]*\).*/\1/')
SOCKET=$(echo "$LINE" | sed 's/.*socket_errors=\([0-9]*\).*/\1/')
P50=$(echo "$LINE" | sed 's/.*p50_ms=\([0-9.]*\).*/\1/')
P99=$(echo "$LINE" | sed 's/.*p99_ms=\([0-9.]*\).*/\1/')
GROWTH=$(python3 -c "print(f'{($RSS_END - $RSS_START) * 100 / $RSS_START:.1f}')")
SUMMARY="soak: ${SECONDS_TOTAL} s, ${CONNECTIONS} connections paced ${SOAK_PACE_MS} ms, $REQUESTS requests \
($(( REQUESTS / SECONDS_TOTAL )) req/s); errors: $NON2XX non-2xx, $SOCKET socket; p50 $P50 ms, p99 $P99 ms; \
RSS ${RSS_START} -> ${RSS_END} KiB (${GROWTH} %); RSS each tenth: $(tr '\n' ' ' < "$WORK/rss.txt")"
echo "$SUMMARY" | tee "$RESULTS_DIR/soak.txt"
grep '^SOAK last' "$WORK/wrk.txt" >&2 || true
FAIL=0
[ "$NON2XX" = 0 ] && [ "$SOCKET" = 0 ] || { echo "soak: errors (must be 0)" >&2; FAIL=1; }
python3 -c "import sys; sys.exit(0 if $GROWTH < 5 else 1)" || { echo "soak: RSS grew ${GROWTH} % (limit 5 %)" >&2; FAIL=1; }
exit $FAIL
