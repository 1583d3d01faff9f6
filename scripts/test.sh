#!/usr/bin/env bash
# npm test: install what is missing, then run every suite against real Docker, a real browser
# and a real database file. The last lines are the counts.
cd "$(dirname "$0")/.."
source scripts/lib/prereqs.sh
ensure_prereqs
ensure_chromium
ensure_caddy
ensure_shellcheck

results=()
failed=0
run_suite() { # name, command...
  local name=$1; shift
  say "Running $name"
  local log="/tmp/iptables-lab-$name.log"
  set +e
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  local counts
  counts=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +Tests +[0-9]|^ +[0-9]+ (passed|failed|skipped|flaky)' | tr -s ' ' | paste -sd ';' - || true)
  results+=("$name: ${counts:-no counts} (exit $status)")
  [ "$status" = 0 ] || failed=1
}

# Suites run side by side: each writes its own log, and the lines are shown once all have ended.
run_together() { # name... (vitest projects)
  local name pids=()
  for name in "$@"; do
    say "Running $name (side by side with: $*)"
    ( npx vitest run --project "$name" >"/tmp/iptables-lab-$name.log" 2>&1; echo $? >"/tmp/iptables-lab-$name.status" ) &
    pids+=($!)
  done
  wait "${pids[@]}"
  for name in "$@"; do
    cat "/tmp/iptables-lab-$name.log"
    local status counts
    status=$(cat "/tmp/iptables-lab-$name.status")
    counts=$(sed 's/\x1b\[[0-9;]*m//g' "/tmp/iptables-lab-$name.log" | grep -E '^ +Tests +[0-9]' | tr -s ' ' | paste -sd ';' - || true)
    results+=("$name: ${counts:-no counts} (exit $status)")
    [ "$status" = 0 ] || failed=1
  done
}

run_suite typecheck npm run --silent typecheck
run_suite lint bash scripts/lint.sh
run_suite unit npx vitest run --project unit
run_suite store npx vitest run --project store
# Both drive real Docker, one file at a time each, and spend most of their time waiting on
# machines and timers: side by side they take about the time of the longer one.
run_together integration server
if [ -f e2e/playwright.config.ts ]; then run_suite e2e npx playwright test -c e2e/playwright.config.ts; fi

echo
say "Summary"
for line in "${results[@]}"; do echo "  $line"; done
if [ "$failed" = 0 ]; then say "All suites passed"; else die "Some suites failed"; fi
