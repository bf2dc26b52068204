#!/usr/bin/env bash
# Instructions and heap allocations per authenticated GET /v1/brands/{id}, counted by callgrind on
# rapportd's I/O-loop thread over N requests on one keep-alive connection (instruction counts are
# repeatable on a loaded machine, where timings are not). Not part of bench/run.sh: a profiling aid.
# Usage: bench/http_callgrind.sh [BUILD_DIR]   env: N (requests, default 2000), KEEP (a directory
# to keep the callgrind files in, for callgrind_annotate), ROUTE=healthz (GET /healthz instead: the
# same loop without auth and store, the floor the brand GET is compared with)
set -euo pipefail
BIN="$(cd "${1:-build}/bin" && pwd)"
N=${N:-2000}
ROUTE=${ROUTE:-brand}
WORK=$(mktemp -d /tmp/rapport-http-callgrind.XXXXXX)
cleanup() {
  [ -n "${VG_PID:-}" ] && kill "$VG_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
export RAPPORT_AUTH_HS256_SECRET=callgrind-secret-$$ RAPPORT_RATE_LIMIT_BURST_PER_MIN=1000000000
export RAPPORT_HTTP_THREADS=1  # one I/O loop: one thread's file holds every request
valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes \
  --callgrind-out-file="$WORK/cg.out" "$BIN/rapportd" --data-dir "$WORK/data" \
  --listen 127.0.0.1:0 > "$WORK/rapportd.log" 2>&1 &
VG_PID=$!
for _ in $(seq 1 300); do [ -s "$WORK/data/rapportd.addr" ] && break; sleep 0.2; done
URL="http://$(cat "$WORK/data/rapportd.addr")"
TOKEN=$("$BIN/rapport" token mint --tenant bench --scope '*' --ttl 1h)
ID=$(RAPPORT_URL=$URL RAPPORT_TOKEN=$TOKEN "$BIN/rapport" --json api POST /v1/brands \
  -d '{"name":"Bench Brand","website":"https://bench.example","brand_aliases":["BB"],"competitors":["Rival"],"categories":["x"],"country":"US","language":"en"}' \
  | python3 -c 'import json,sys;print(json.load(sys.stdin)["id"])')
gets() {  # count: that many GETs on one connection, each checked
  python3 - "$URL" "$ID" "$TOKEN" "$1" "$ROUTE" <<'PY'
import http.client, json, sys, urllib.parse
url, brand, token, n, route = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
u = urllib.parse.urlparse(url)
c = http.client.HTTPConnection(u.hostname, u.port)
for _ in range(n):
    if route == "healthz":
        c.request("GET", "/healthz")
    else:
        c.request("GET", "/v1/brands/" + brand, headers={"Authorization": "Bearer " + token})
    r = c.getresponse()
    body = r.read()
    assert r.status == 200, (r.status, body)
    assert route == "healthz" or json.loads(body)["id"] == brand, body
PY
}
gets 200  # warm: statements prepared, token cached, buffers grown
callgrind_control -i on "$VG_PID" > /dev/null
gets "$N"
callgrind_control -i off "$VG_PID" > /dev/null
kill "$VG_PID"
wait "$VG_PID" || true
VG_PID=
# The I/O loop's file: the thread with the most instructions.
best=$(for f in "$WORK"/cg.out-*; do echo "$(awk '/^totals:/{print $2}' "$f") $f"; done |
  sort -n | tail -1 | cut -d' ' -f2)
total=$(awk '/^totals:/{print $2}' "$best")
mallocs=$(callgrind_annotate --tree=caller --threshold=100 "$best" 2>/dev/null | awk '
  /^$/ { block = ""; next } { block = block "\n" $0 }
  !done && /\*  .*malloc\.c:malloc \[/ { print block; done = 1 }' | grep '<' |
  sed -E 's/.*\(([0-9,]+)x\).*/\1/' | tr -d , | awk '{s += $1} END {print s + 0}')
what="GET /v1/brands/{id}"
[ "$ROUTE" = healthz ] && what="GET /healthz"
echo "$what: $((total / N)) instructions, $((mallocs / N)) mallocs a request" \
  "(callgrind, $N requests, I/O-loop thread)"
if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP" && cp "$WORK"/cg.out-* "$KEEP"/; fi
