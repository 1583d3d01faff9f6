#!/usr/bin/env bash
# npm run typecheck: the four programs on one base (tsconfig.base.json). The page's program has no
# Node types (web/tsconfig.json), and ESLint keeps web/ off server/ and protocol/ free of imports.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

# One process builds the four programs, parses each file once and judges each file in the program
# of its own tsconfig (scripts/lib/typePrograms.ts); tsc -p on each gives the same errors, slower.
exec node --import tsx scripts/typecheck.ts
