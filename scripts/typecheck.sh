#!/usr/bin/env bash
# npm run typecheck: the four programs on one base (tsconfig.base.json). The page's program has no
# Node types (web/tsconfig.json), and ESLint keeps web/ off server/ and protocol/ free of imports.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

status=0
npx tsc --noEmit -p tsconfig.json || status=1
npx tsc --noEmit -p web/tsconfig.json || status=1
npx tsc --noEmit -p e2e/tsconfig.json || status=1
npx tsc --noEmit -p bench/tsconfig.json || status=1
exit "$status"
