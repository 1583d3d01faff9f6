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

# Suites side by side: each writes its own log, shown once all have ended. The exit status comes
# from `wait` itself, never from a file an earlier run could have left behind.
run_together() { # name=command ... (the command is split on spaces)
  local spec name pids=() names=() status started=$SECONDS
  for spec in "$@"; do
    name=${spec%%=*}
    say "Running $name (side by side with: ${*%%=*})"
    # shellcheck disable=SC2086 # the command is meant to be split into its words
    ${spec#*=} >"/tmp/iptables-lab-$name.log" 2>&1 &
    pids+=($!)
    names+=("$name")
  done
  local i
  for i in "${!names[@]}"; do
    name=${names[$i]}
    set +e
    wait "${pids[$i]}"
    status=$?
    set -e
    cat "/tmp/iptables-lab-$name.log"
    local counts plain duration
    plain=$(sed 's/\x1b\[[0-9;]*m//g' "/tmp/iptables-lab-$name.log")
    counts=$(grep -E '^ +Tests +[0-9]|^ +[0-9]+ (passed|failed|skipped|flaky)' <<<"$plain" | tr -s ' ' | paste -sd ';' - || true)
    duration=$(grep -E '^ +Duration +[0-9]' <<<"$plain" | awk '{print $2}' || true)
    results+=("$name: ${counts:-no counts} (exit $status, ${duration:-?}; together $((SECONDS - started))s)")
    [ "$status" = 0 ] || failed=1
  done
}

run_suite typecheck npm run --silent typecheck
run_suite lint bash scripts/lint.sh
run_suite unit npx vitest run --project unit
run_suite store npx vitest run --project store
# The three suites that drive real Docker mostly wait on machines, browsers and timers: side by
# side they take about the time of the longest. Each namespaces its labs (LAB_INSTANCE), and the
# runtime contract keeps to its own address slots, so none sees the others' labs.
suites=("integration=npx vitest run --project integration" "server=npx vitest run --project server")
[ -f e2e/playwright.config.ts ] && suites+=("e2e=npx playwright test -c e2e/playwright.config.ts")
run_together "${suites[@]}"

echo
say "Summary (${SECONDS}s in all)"
for line in "${results[@]}"; do echo "  $line"; done
if [ "$failed" = 0 ]; then say "All suites passed"; else die "Some suites failed"; fi
