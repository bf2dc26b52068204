#!/usr/bin/env bash
# Runs every libFuzzer target for FUZZ_SECONDS (default 60) from its committed corpus
# (fuzz/corpus/<target>), the targets side by side (one core each); inputs they find go to a
# scratch directory, and to the committed corpus only with FUZZ_MERGE=1 (a minimized merge).
# Fails when a target crashes or a sanitizer reports.
# Usage: fuzz/smoke.sh BUILD_DIR
set -euo pipefail
BIN="$(cd "${1:?BUILD_DIR}/bin" && pwd)"
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=(api parse logo)
here=$(cd "$(dirname "$0")" && pwd)
scratch=$(mktemp -d /tmp/rapport-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

declare -A pids
for target in "${TARGETS[@]}"; do
  mkdir -p "$scratch/$target"
  echo "fuzz: $target for ${SECONDS_EACH} s"
  "$BIN/rapport_${target}_fuzz" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
    -artifact_prefix="$scratch/$target-" "$scratch/$target" "$here/corpus/$target" \
    2> "$scratch/$target.log" &
  pids[$target]=$!
done
failed=0
for target in "${TARGETS[@]}"; do
  if wait "${pids[$target]}"; then
    echo "fuzz: $target passed"
    grep -E "stat::number_of_executed_units|stat::new_units_added" "$scratch/$target.log" |
      sed 's/^/  /'
  else
    echo "fuzz: $target FAILED (the input that failed is copied to /tmp/$target-*):" >&2
    tail -60 "$scratch/$target.log" >&2
    cp "$scratch/$target"-* /tmp/ 2>/dev/null || true
    failed=1
  fi
done
if [ "${FUZZ_MERGE:-0}" = 1 ]; then
  for target in "${TARGETS[@]}"; do
    "$BIN/rapport_${target}_fuzz" -merge=1 "$here/corpus/$target" "$scratch/$target" 2>/dev/null
  done
fi
exit $failed
