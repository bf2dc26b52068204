#!/usr/bin/env bash
# `make run`: starts rapportd on SQLite under ./data, loads the demo data set and prints a token
# to explore it with. Ctrl-C stops the server (gracefully).
set -euo pipefail
BUILD_DIR=${1:-build}
BIN="$BUILD_DIR/bin"
DATA_DIR=${RAPPORT_DATA_DIR:-./data}
LISTEN=${RAPPORT_LISTEN:-127.0.0.1:8080}
mkdir -p "$DATA_DIR"

# A per-installation secret, created once, so the demo needs no configuration.
if [ -z "${RAPPORT_AUTH_HS256_SECRET:-}" ] && [ -z "${RAPPORT_AUTH_HS256_SECRET_FILE:-}" ]; then
  SECRET_FILE="$DATA_DIR/hs256.secret"
  if [ ! -s "$SECRET_FILE" ]; then
    (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$SECRET_FILE")
  fi
  export RAPPORT_AUTH_HS256_SECRET_FILE="$SECRET_FILE"
fi

rm -f "$DATA_DIR/rapportd.addr"
"$BIN/rapportd" --data-dir "$DATA_DIR" --listen "$LISTEN" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID' INT TERM

for _ in $(seq 1 100); do
  [ -s "$DATA_DIR/rapportd.addr" ] && break
  kill -0 $PID 2>/dev/null || { echo "rapportd failed to start" >&2; exit 1; }
  sleep 0.1
done
ADDR=$(cat "$DATA_DIR/rapportd.addr")
export RAPPORT_URL="http://$ADDR"
export RAPPORT_TOKEN=$("$BIN/rapport" token mint --tenant demo --scope '*' --ttl 7d)
"$BIN/rapport" demo

# A console admin for the demo tenant, created once; its password is kept beside the data.
CONSOLE_EMAIL=admin@demo.example
CONSOLE_PASSWORD_FILE="$DATA_DIR/console-admin.password"
if [ ! -s "$CONSOLE_PASSWORD_FILE" ]; then
  (umask 077 && head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$CONSOLE_PASSWORD_FILE")
  if ! RAPPORT_DATA_DIR="$DATA_DIR" "$BIN/rapport" users add "$CONSOLE_EMAIL" --tenant demo \
       --role admin < "$CONSOLE_PASSWORD_FILE" > /dev/null; then
    rm -f "$CONSOLE_PASSWORD_FILE"
    echo "could not create the console's demo admin" >&2
  fi
fi

cat <<EOT

rapportd is running at $RAPPORT_URL (data in $DATA_DIR). Try, in another shell:

  export RAPPORT_URL=$RAPPORT_URL
  export RAPPORT_TOKEN=$RAPPORT_TOKEN
  $BIN/rapport sites list
  $BIN/rapport brands list
  $BIN/rapport api GET /reports/sla/reports
  curl -s -H "Authorization: Bearer \$RAPPORT_TOKEN" \$RAPPORT_URL/v1/brands

The console: $RAPPORT_URL/ (in a browser): sign in as $CONSOLE_EMAIL with the password in
  $CONSOLE_PASSWORD_FILE ($(cat "$CONSOLE_PASSWORD_FILE" 2>/dev/null)); more users:
  $BIN/rapport users add EMAIL --tenant demo --role admin|editor|viewer
The API reference: $RAPPORT_URL/docs (in a browser).

Press Ctrl-C to stop.
EOT
wait $PID
