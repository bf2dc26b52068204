#!/usr/bin/env bash
# HTTP benchmark: wrk -t2 -c64 against rapportd's authenticated, store-backed
# GET /v1/brands/{id} (SQLite store) and, in the same run, against nginx serving a static file
# with the same bytes; /healthz against nginx serving /healthz's bytes as a second row.
# Both sides run as their own docs recommend for production:
#   nginx:    worker_processes auto, sendfile, tcp_nopush, tcp_nodelay, keepalive_requests high,
#             open_file_cache, access log on with a 64 KiB buffer flushed every second;
#   rapportd: defaults (one JSON access-log line per request, buffered, flushed every second;
#             JWT verified per request; burst rate limiter on, with a limit the load cannot reach).
# Self-checks: both servers answer the same bytes before and after the load, a PATCH right after
# the load shows in the next GET (every GET reads the store), wrk sees no non-2xx
# answers and no socket errors, and each side's access log has a line per request it counted.
# Writes $RESULTS_DIR/http_get_brand.txt (summary) and .tsv (README rows).
# Usage: bench/http_benchmark.sh [BUILD_DIR]   env: DURATION (s, default 10), ROUNDS (default 3)
set -euo pipefail
BUILD_DIR=${1:-build}
BIN="$(cd "$BUILD_DIR/bin" && pwd)"
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=64
RESULTS_DIR=${RESULTS_DIR:-bench/results}
mkdir -p "$RESULTS_DIR"
WORK=$(mktemp -d /tmp/rapport-http-bench.XXXXXX)
chmod 755 "$WORK"  # nginx workers run as an unprivileged user
cleanup() {
  [ -n "${RAPPORTD_PID:-}" ] && kill "$RAPPORTD_PID" 2>/dev/null || true
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "http_benchmark: $*" >&2; exit 1; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

export RAPPORT_AUTH_HS256_SECRET=bench-secret-$$
# The limiter stays on (its cost is paid per request) with a limit one token cannot reach here.
export RAPPORT_RATE_LIMIT_BURST_PER_MIN=1000000000
"$BIN/rapportd" --data-dir "$WORK/data" --listen 127.0.0.1:0 > "$WORK/rapportd.log" 2>&1 &
RAPPORTD_PID=$!
for _ in $(seq 1 100); do [ -s "$WORK/data/rapportd.addr" ] && break; sleep 0.1; done
[ -s "$WORK/data/rapportd.addr" ] || fail "rapportd did not start"
RAPPORT_URL="http://$(cat "$WORK/data/rapportd.addr")"
TOKEN=$("$BIN/rapport" token mint --tenant bench --scope '*' --ttl 1h)
BRAND_ID=$(RAPPORT_URL=$RAPPORT_URL RAPPORT_TOKEN=$TOKEN "$BIN/rapport" --json api POST /v1/brands \
  -d '{"name":"Bench Brand","website":"https://bench.example","brand_aliases":["BB"],"competitors":["Rival"],"categories":["x"],"country":"US","language":"en"}' \
  | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')
BRAND_URL="$RAPPORT_URL/v1/brands/$BRAND_ID"
HEALTH_URL="$RAPPORT_URL/healthz"
mkdir -p "$WORK/www" "$WORK/nginx-tmp"
curl -sf -H "Authorization: Bearer $TOKEN" "$BRAND_URL" > "$WORK/www/brand.json"
curl -sf "$HEALTH_URL" > "$WORK/www/healthz.json"
python3 - "$WORK/www/brand.json" "$BRAND_ID" <<'PY' || fail "GET brand did not answer the brand"
import json, sys
b = json.load(open(sys.argv[1]))
assert b["id"] == sys.argv[2] and b["name"] == "Bench Brand", b
PY
# Another tenant's token must not read the brand (the fast path keeps tenant isolation).
OTHER=$("$BIN/rapport" token mint --tenant other --scope '*' --ttl 1h)
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $OTHER" "$BRAND_URL")" = 404 ] ||
  fail "another tenant's token read the brand"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${TOKEN}x" "$BRAND_URL")" = 401 ] ||
  fail "a token with a changed signature was accepted"
BYTES=$(wc -c < "$WORK/www/brand.json")

NGINX_PORT=$(free_port)
cat > "$WORK/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  open_file_cache max=1000 inactive=20s;
  open_file_cache_valid 30s;
  open_file_cache_min_uses 2;
  open_file_cache_errors on;
  access_log $WORK/nginx-access.log combined buffer=64k flush=1s;
  client_body_temp_path $WORK/nginx-tmp; proxy_temp_path $WORK/nginx-tmp;
  fastcgi_temp_path $WORK/nginx-tmp; uwsgi_temp_path $WORK/nginx-tmp; scgi_temp_path $WORK/nginx-tmp;
  default_type application/json;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/www; }
}
NGINX
nginx -c "$WORK/nginx.conf"
NGINX_URL="http://127.0.0.1:$NGINX_PORT"
for _ in $(seq 1 50); do curl -sf "$NGINX_URL/healthz.json" > /dev/null && break; sleep 0.1; done

# The same bytes from both servers (run before and after the load).
check_bytes() {
  cmp -s <(curl -sf -H "Authorization: Bearer $TOKEN" "$BRAND_URL") "$WORK/www/brand.json" ||
    fail "rapportd's brand answer changed"
  cmp -s <(curl -sf "$NGINX_URL/brand.json") "$WORK/www/brand.json" || fail "nginx's brand differs"
  cmp -s <(curl -sf "$HEALTH_URL") "$WORK/www/healthz.json" || fail "rapportd's /healthz changed"
  cmp -s <(curl -sf "$NGINX_URL/healthz.json") "$WORK/www/healthz.json" ||
    fail "nginx's healthz differs"
}
check_bytes

# Prints "<requests/s> <p50 ms> <p99 ms> <requests>" for one wrk run; fails on any error.
measure() {
  local out
  out=$(wrk -t2 -c$CONNECTIONS -d"${DURATION}s" --latency "$@")
  echo "$out" >> "$WORK/wrk.log"
  echo "$out" | grep -q 'Non-2xx' && fail "wrk saw non-2xx responses: $(echo "$out" | grep Non-2xx)"
  echo "$out" | grep -q 'Socket errors' && fail "wrk saw $(echo "$out" | grep 'Socket errors')"
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) { sub(/us/, "", v); return v / 1000 }
                     if (v ~ /ms$/) { sub(/ms/, "", v); return v }
                     sub(/s/, "", v); return v * 1000 }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    / requests in / { n = $1 }
    END { print rps, p50, p99, n }'
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col_median() { cut -d' ' -f"$2" "$1" | median; }

wrk -t2 -c$CONNECTIONS -d2s -H "Authorization: Bearer $TOKEN" "$BRAND_URL" > /dev/null  # warm-up
wrk -t2 -c$CONNECTIONS -d2s "$NGINX_URL/brand.json" > /dev/null
sleep 1.5  # both access logs flushed: count from here
LOG_R0=$(grep -c '"msg":"request"' "$WORK/rapportd.log" || true)
LOG_N0=$(wc -l < "$WORK/nginx-access.log")
for f in brand nginx_brand health nginx_health; do : > "$WORK/$f.txt"; done
for round in $(seq 1 "$ROUNDS"); do
  measure -H "Authorization: Bearer $TOKEN" "$BRAND_URL" >> "$WORK/brand.txt"
  measure "$NGINX_URL/brand.json" >> "$WORK/nginx_brand.txt"
  measure "$HEALTH_URL" >> "$WORK/health.txt"
  measure "$NGINX_URL/healthz.json" >> "$WORK/nginx_health.txt"
  echo "round $round (req/s p50-ms p99-ms requests): brand rapportd $(tail -1 "$WORK/brand.txt")" \
    "| nginx $(tail -1 "$WORK/nginx_brand.txt"); healthz rapportd $(tail -1 "$WORK/health.txt")" \
    "| nginx $(tail -1 "$WORK/nginx_health.txt")"
done
check_bytes
# Store-backed, not cached: a change to the brand shows in the very next GET.
curl -sf -X PATCH -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"Bench Brand renamed"}' "$BRAND_URL" > /dev/null || fail "PATCH brand failed"
curl -sf -H "Authorization: Bearer $TOKEN" "$BRAND_URL" | grep -q '"name":"Bench Brand renamed"' ||
  fail "GET brand did not read the changed brand from the store"
sleep 1.5
LOGGED_R=$(($(grep -c '"msg":"request"' "$WORK/rapportd.log" || true) - LOG_R0))
LOGGED_N=$(($(wc -l < "$WORK/nginx-access.log") - LOG_N0))
SENT_R=$(cat "$WORK/brand.txt" "$WORK/health.txt" | awk '{s += $4} END {print s}')
SENT_N=$(cat "$WORK/nginx_brand.txt" "$WORK/nginx_health.txt" | awk '{s += $4} END {print s}')
# wrk counts completed answers; the server also logs those answered as wrk stopped (<= 64 each).
python3 - "$LOGGED_R" "$SENT_R" "$LOGGED_N" "$SENT_N" "$((ROUNDS * 2 * CONNECTIONS + 8))" <<'PY' ||
import sys
lr, sr, ln, sn, slack = map(int, sys.argv[1:])
assert sr <= lr <= sr + slack, f"rapportd logged {lr} requests, wrk counted {sr}"
assert sn <= ln <= sn + slack, f"nginx logged {ln} requests, wrk counted {sn}"
PY
  fail "access logs do not match the requests served"

row() {  # name file nginx_file target_ratio -> summary line and tsv row
  local rps p50 p99 nrps np50 np99
  rps=$(col_median "$2" 1); p50=$(col_median "$2" 2); p99=$(col_median "$2" 3)
  nrps=$(col_median "$3" 1); np50=$(col_median "$3" 2); np99=$(col_median "$3" 3)
  python3 - "$1" "$rps" "$p50" "$p99" "$nrps" "$np50" "$np99" "$4" "$RESULTS_DIR/http_get_brand.tsv" <<'PY'
import sys
what, rps, p50, p99, nrps, np50, np99, target, tsv = sys.argv[1:]
rps, p50, p99, nrps, np50, np99 = map(float, (rps, p50, p99, nrps, np50, np99))
ratio = rps / nrps
fig = lambda r, a, b: f"{r:,.0f} req/s, p50 {a:.2f} ms p99 {b:.2f} ms"
met = "-"
if target != "-":
    met = "met" if ratio >= float(target) and p99 < 10 else "missed"
    target = f"≥ {float(target):.1f}× and p99 < 10 ms"
with open(tsv, "a") as f:
    f.write(f"{what}\t{fig(rps, p50, p99)}\tnginx static file, same bytes, tuned: "
            f"{fig(nrps, np50, np99)}\t{ratio:.2f}×\t{target}\t{met}\n")
print(f"  {what}: rapportd {fig(rps, p50, p99)} | nginx {fig(nrps, np50, np99)} | "
      f"ratio {ratio:.2f}× ({met})")
PY
}
: > "$RESULTS_DIR/http_get_brand.tsv"
SUMMARY=$(
  echo "http_get_brand: body ${BYTES} B, wrk -t2 -c${CONNECTIONS} -d${DURATION}s, median of" \
    "${ROUNDS} rounds, $(nproc) cores; both servers log every request (buffered, flushed each s)"
  row "authenticated GET /v1/brands/{id} (JWT + SQLite)" "$WORK/brand.txt" \
    "$WORK/nginx_brand.txt" 0.7
  row "GET /healthz (no auth, no store; context)" "$WORK/health.txt" "$WORK/nginx_health.txt" -
)
echo "$SUMMARY"
echo "$SUMMARY" > "$RESULTS_DIR/http_get_brand.txt"
