#!/usr/bin/env bash
# Runs README.md's "Running several nodes" example as written, on a fresh database of the test
# cluster, with free ports and private directories in place of 8081/8082 and /tmp/rapport-a|b,
# and checks that node B lists the demo sites written through node A.
# Usage: tests/readme_example.sh BIN_DIR PG_TEST_DIR
set -euo pipefail
bin=$(realpath "$1")
pg_url=$(cat "$2/url")
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/rapport-readme.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

db="readme_$RANDOM$RANDOM"
psql "$pg_url" -qc "CREATE DATABASE $db"
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
port_a=$(free_port)
port_b=$(free_port)

# The fenced block between the markers, with the machine-specific values replaced.
sed -n '/<!-- several-nodes:begin -->/,/<!-- several-nodes:end -->/p' "$here/README.md" |
  sed '/^<!--/d; /^```/d' |
  sed "s#postgresql://rapport@127.0.0.1:5432/rapport#${pg_url%/postgres}/$db#; \
       s#8081#$port_a#g; s#8082#$port_b#g; s#/tmp/rapport-a#$work/a#g; s#/tmp/rapport-b#$work/b#g" \
  > "$work/example.sh"
grep -q "rapportd" "$work/example.sh" || { echo "README example not found" >&2; exit 1; }

PATH="$bin:$PATH" timeout 120 bash -euo pipefail "$work/example.sh" > "$work/out.txt" 2>&1 || {
  cat "$work/out.txt" >&2
  exit 1
}
# Node B lists what the demo wrote through node A.
for site in "London HQ" "Frankfurt DC"; do
  grep -q "$site" "$work/out.txt" || { echo "node B does not list $site:" >&2; cat "$work/out.txt" >&2; exit 1; }
done
echo "README several-nodes example: ok"
