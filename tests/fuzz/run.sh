#!/usr/bin/env bash
# Builds the libFuzzer harnesses (preset 'fuzz': clang, ASan+UBSan) and runs each for N seconds (default 5) on
# a scratch copy of its seed corpus (tests/fuzz/corpus/<harness>, left unchanged). Prints the executions per
# harness; exits non-zero on any finding (crash, sanitizer report, escaped exception, timeout, memory limit),
# whose input libFuzzer writes to build/fuzz/findings/.
#   tests/fuzz/run.sh [seconds_per_harness]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER=${1:-5}
JOBS=${ENGAGE_FUZZ_JOBS:-2}

cmake --preset fuzz >/dev/null
start=$(date +%s)
cmake --build build/fuzz -j"$JOBS" >/dev/null
echo "fuzz: built in $(( $(date +%s) - start )) s"

scratch=build/fuzz/scratch
artifacts=build/fuzz/findings
rm -rf "$scratch" && mkdir -p "$scratch" "$artifacts"
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
failed=()
for exe in build/fuzz/tests/fuzz/fuzz_*; do
  [[ -x $exe && -f $exe ]] || continue
  name=$(basename "$exe"); area=${name#fuzz_}
  mkdir -p "$scratch/$area"
  [[ -d tests/fuzz/corpus/$area ]] && cp tests/fuzz/corpus/$area/* "$scratch/$area/" 2>/dev/null || true
  log=$scratch/$area.log
  if "$exe" -max_total_time="$SECONDS_PER" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
       -artifact_prefix="$artifacts/$area-" "$scratch/$area" >"$log" 2>&1; then
    runs=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | awk '{print $2}')
    printf '  %-16s %10s executions in %s s\n' "$area" "${runs:-?}" "$SECONDS_PER"
  else
    printf '  %-16s FINDING (log: %s)\n' "$area" "$log"
    grep -E 'ERROR|runtime error|terminate called|what\(\)|Test unit written' "$log" | head -5 | sed 's/^/    /'
    failed+=("$area")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: findings in ${failed[*]} (inputs in $artifacts)"
  exit 1
fi
echo "fuzz: no findings"
