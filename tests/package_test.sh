#!/usr/bin/env bash
# The .deb, built and used as an operator would: `cpack -G DEB` in the build directory, its control
# data and file list checked, its maintainer scripts parsed, its systemd unit verified, and then
# extracted into a throwaway root where rapportd is started with the unit's own ExecStart line
# (paths moved into that root) and the packaged settings file, and answered over loopback by the
# packaged CLI. Usage: tests/package_test.sh BUILD_DIR
set -euo pipefail

BUILD=$(cd "$1" && pwd)
WORK=$(mktemp -d /tmp/rapport-package-XXXXXX)
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill -9 "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
  echo "package_test: FAIL: $*" >&2
  exit 1
}
expect() {  # expect WHAT HAYSTACK NEEDLE
  grep -qF -- "$3" <<<"$2" || fail "$1 lacks '$3'"
}

started=$SECONDS
(cd "$BUILD" && cpack -G DEB -B "$WORK/out" >"$WORK/cpack.log" 2>&1) || {
  cat "$WORK/cpack.log" >&2
  fail "cpack -G DEB failed"
}
DEB=$(ls "$WORK"/out/rapport_*.deb)
echo "package_test: built $(basename "$DEB") ($(du -k "$DEB" | cut -f1) KiB) in $((SECONDS - started)) s"

# Control data: name, the libraries dpkg-shlibdeps found, and what the service needs besides.
INFO=$(dpkg-deb --info "$DEB")
expect "control" "$INFO" "Package: rapport"
for dep in libc6 libsqlite3-0 libpq5 libcairo2 libcurl4 adduser tzdata fonts-dejavu-core; do
  grep -Eq "^ Depends:.*\b$dep\b" <<<"$INFO" || fail "Depends lacks $dep: $(grep Depends <<<"$INFO")"
done

# Files: binaries, unit, settings, man pages, docs.
FILES=$(dpkg-deb --contents "$DEB")
for f in ./usr/bin/rapportd ./usr/bin/rapport ./usr/lib/systemd/system/rapportd.service \
  ./etc/rapport/rapportd.toml ./usr/share/man/man8/rapportd.8.gz ./usr/share/man/man1/rapport.1.gz \
  ./usr/share/doc/rapport/README.md; do
  expect "the package" "$FILES" "$f"
done
grep -q "rwxr-xr-x root/root .* ./usr/bin/rapportd$" <<<"$FILES" || fail "rapportd is not 0755 root"
grep -q "rw-r----- root/root .* ./etc/rapport/rapportd.toml$" <<<"$FILES" ||
  fail "rapportd.toml is not 0640 (it may name secrets)"

# Maintainer scripts: present, executable, valid sh; the settings file is a conffile.
dpkg-deb --control "$DEB" "$WORK/control"
for s in postinst prerm postrm; do
  [ -x "$WORK/control/$s" ] || fail "$s missing or not executable"
  sh -n "$WORK/control/$s" || fail "$s is not valid sh"
done
expect "conffiles" "$(cat "$WORK/control/conffiles")" "/etc/rapport/rapportd.toml"
expect "postinst" "$(cat "$WORK/control/postinst")" "adduser --system"

ROOT="$WORK/root"
dpkg-deb --extract "$DEB" "$ROOT"
UNIT="$ROOT/usr/lib/systemd/system/rapportd.service"
expect "the unit" "$(cat "$UNIT")" "User=rapport"
expect "the unit" "$(cat "$UNIT")" "StateDirectory=rapport"
if command -v systemd-analyze >/dev/null; then
  # Verified as systemd would load it, with the binary's path moved into the extracted tree.
  mkdir "$WORK/unit"
  sed "s|/usr/bin/|$ROOT/usr/bin/|" "$UNIT" >"$WORK/unit/rapportd.service"
  systemd-analyze verify --man=no "$WORK/unit/rapportd.service" >"$WORK/verify.log" 2>&1 || {
    cat "$WORK/verify.log" >&2
    fail "systemd-analyze verify refused rapportd.service"
  }
  if [ -s "$WORK/verify.log" ]; then
    cat "$WORK/verify.log" >&2
    fail "systemd-analyze verify complained about rapportd.service"
  fi
fi

# The binaries find every library they link on this (Debian) system.
for b in rapportd rapport; do
  if ldd "$ROOT/usr/bin/$b" | grep -q "not found"; then fail "$b: $(ldd "$ROOT/usr/bin/$b")"; fi
done
"$ROOT/usr/bin/rapportd" --version | grep -qx "rapportd [0-9.]*" || fail "rapportd --version"

# Man pages render and list the settings and exit codes.
if command -v man >/dev/null; then
  PAGE=$(MANWIDTH=100 man -P cat -l "$ROOT/usr/share/man/man8/rapportd.8.gz" 2>/dev/null)
  expect "rapportd(8)" "$PAGE" "RAPPORT_DATABASE_URL"
  expect "rapportd(8)" "$PAGE" "/etc/rapport/rapportd.toml"
  PAGE=$(MANWIDTH=100 man -P cat -l "$ROOT/usr/share/man/man1/rapport.1.gz" 2>/dev/null)
  expect "rapport(1)" "$PAGE" "EXIT STATUS"
  expect "rapport(1)" "$PAGE" "RAPPORT_TOKEN"
fi

# The service, started as the unit starts it: ExecStart with /usr and /etc moved into the root.
# What postinst and systemd would provide is given here: the secret file, the state directory
# (as RAPPORT_DATA_DIR) and, so that the test needs no fixed port, the listen address.
EXEC=$(sed -n 's/^ExecStart=//p' "$UNIT")
[ -n "$EXEC" ] || fail "the unit has no ExecStart"
EXEC=${EXEC//\/usr\//$ROOT\/usr\/}
EXEC=${EXEC//\/etc\//$ROOT\/etc\/}
head -c 48 /dev/urandom | base64 -w0 >"$ROOT/etc/rapport/jwt-secret"
mkdir -m 0750 "$WORK/state"
export RAPPORT_AUTH_HS256_SECRET_FILE="$ROOT/etc/rapport/jwt-secret"
RAPPORT_DATA_DIR="$WORK/state" RAPPORT_LISTEN=127.0.0.1:0 $EXEC >"$WORK/rapportd.log" 2>&1 &
PID=$!
ADDRESS=""
for _ in $(seq 100); do
  ADDRESS=$(grep -o '"address":"127.0.0.1:[0-9]*"' "$WORK/rapportd.log" | head -1 | cut -d'"' -f4 || true)
  [ -n "$ADDRESS" ] && break
  kill -0 "$PID" 2>/dev/null || { cat "$WORK/rapportd.log" >&2; fail "rapportd exited at start"; }
  sleep 0.1
done
[ -n "$ADDRESS" ] || { cat "$WORK/rapportd.log" >&2; fail "rapportd did not start listening"; }
URL="http://$ADDRESS"
curl -fsS "$URL/readyz" >/dev/null || fail "/readyz"
curl -fsS "$URL/docs" | grep -q "Rapport API reference" || fail "/docs"
[ -f "$WORK/state/rapport.db" ] || fail "no database in the state directory"

# The packaged CLI mints a token from the packaged settings and uses it.
TOKEN=$("$ROOT/usr/bin/rapport" token mint --config "$ROOT/etc/rapport/rapportd.toml" --tenant acme)
"$ROOT/usr/bin/rapport" --server "$URL" --token "$TOKEN" sites create --name Lisbon \
  --timezone Europe/Lisbon >/dev/null || fail "rapport sites create"
"$ROOT/usr/bin/rapport" --server "$URL" --token "$TOKEN" sites list | grep -q Lisbon ||
  fail "rapport sites list"

# systemd stops it with SIGTERM: it exits 0.
kill -TERM "$PID"
status=0
wait "$PID" || status=$?
PID=""
[ "$status" -eq 0 ] || { cat "$WORK/rapportd.log" >&2; fail "rapportd exited $status on SIGTERM"; }
echo "package_test: ok in $((SECONDS - started)) s"
