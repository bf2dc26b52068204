#!/usr/bin/env bash
# Installs every Debian package Rapport's build, tests, benchmarks and demo need.
# Idempotent: installs only what is missing and runs `apt-get update` only when something is.
# Usage: scripts/setup.sh [--clang]   --clang adds clang and its sanitizer runtimes for
# `make test-asan` and `make fuzz-smoke` (CI runs both). Node.js + npm install the /docs page's
# Redoc bundle and the OpenAPI linter at build time (web/); Chromium loads /docs in a test (and is
# the reference the PDF benchmark compares with).
set -euo pipefail

PACKAGES=(
  build-essential cmake make ccache pkg-config git curl ca-certificates tzdata
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libssl-dev libcurl4-openssl-dev libsodium-dev
  libspdlog-dev libfmt-dev libcli11-dev libhowardhinnant-date-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev libsimdjson-dev
  wrk nginx-light postgresql-15 libpq-dev
  libcairo2-dev libpango1.0-dev poppler-utils fonts-noto-core fonts-noto-cjk fonts-dejavu-core
  python3-aiosmtpd faketime chromium help2man
  librsvg2-dev libxml2-dev
  libxlsxwriter-dev python3-openpyxl  # report exports (XLSX), read back by the integration tests
  libfontconfig-dev libfreetype-dev  # src/render/fonts.cpp (already pulled in by libpango1.0-dev)
)
command -v npm >/dev/null || PACKAGES+=(nodejs npm)  # Node.js >= 20.19 with npm (Vite 8 builds the console; the Zabbix media type test runs its script)
if command -v node >/dev/null && ! node -e 'const [a, b] = process.versions.node.split(".").map(Number);
    process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "setup: warning: Node.js $(node --version) is older than 20.19, which the console build needs" >&2
fi
if [ "${1:-}" = "--clang" ]; then PACKAGES+=(clang-14 libclang-rt-14-dev); fi  # test-asan, fuzz-smoke

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
