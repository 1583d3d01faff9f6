#!/usr/bin/env bash
# npm test: install what is missing, then run every suite against real Docker, a real browser
# and a real database file. The last lines are the counts.
cd "$(dirname "$0")/.."
source scripts/lib/prereqs.sh
ensure_prereqs
ensure_chromium
ensure_caddy
ensure_tmux
ensure_nginx
ensure_shellcheck
say "Prerequisites ready after ${SECONDS}s"

results=()
failed=0
run_suite() { # name, command...
  local name=$1; shift
  say "Running $name"
  local log="/tmp/iptables-lab-$name.log" started=$SECONDS
  set +e
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  local counts
  counts=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +Tests +[0-9]|^ +[0-9]+ (passed|failed|skipped|flaky)' | tr -s ' ' | paste -sd ';' - || true)
  results+=("$name: ${counts:-no counts} (exit $status, $((SECONDS - started))s)")
  [ "$status" = 0 ] || failed=1
}

# Vitest projects side by side: each writes its own log, shown once all have ended. The exit
# status comes from `wait` itself, never from a file an earlier run could have left behind.
run_together() { # project...
  local name pids=() status
  for name in "$@"; do
    say "Running $name (side by side with: $*)"
    npx vitest run --project "$name" >"/tmp/iptables-lab-$name.log" 2>&1 &
    pids+=($!)
  done
  local i=0
  for name in "$@"; do
    set +e
    wait "${pids[$i]}"
    status=$?
    set -e
    i=$((i + 1))
    cat "/tmp/iptables-lab-$name.log"
    local counts
    local plain duration
    plain=$(sed 's/\x1b\[[0-9;]*m//g' "/tmp/iptables-lab-$name.log")
    counts=$(grep -E '^ +Tests +[0-9]' <<<"$plain" | tr -s ' ' | paste -sd ';' - || true)
    duration=$(grep -E '^ +Duration +[0-9]' <<<"$plain" | awk '{print $2}' || true)
    results+=("$name: ${counts:-no counts} (exit $status, ${duration:-?})")
    [ "$status" = 0 ] || failed=1
  done
}

run_suite typecheck npm run --silent typecheck
run_suite lint bash scripts/lint.sh
run_suite unit npx vitest run --project unit
run_suite store npx vitest run --project store
# Both drive real Docker, one file at a time each, and mostly wait on machines and timers: side
# by side they take about the time of the longer one. Each test namespaces its labs and the
# runtime contract keeps to its own address slots, so neither sees the other's labs.
run_together integration server
if [ -f e2e/playwright.config.ts ]; then run_suite e2e npx playwright test -c e2e/playwright.config.ts; fi

echo
say "Summary (${SECONDS}s in all)"
for line in "${results[@]}"; do echo "  $line"; done
if [ "$failed" = 0 ]; then say "All suites passed"; else die "Some suites failed"; fi
