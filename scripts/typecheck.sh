#!/usr/bin/env bash
# npm run typecheck: the four programs on one base (tsconfig.base.json).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

status=0
npx tsc --noEmit -p tsconfig.json || status=1

# The page shares types with the server; through them it must never see Node's. Listing the
# page's files in the run that checks it costs nothing extra. Listed files are absolute paths;
# every other line is a diagnostic.
web=$(npx tsc --noEmit -p web/tsconfig.json --listFiles) || status=1
grep -v '^/' <<<"$web"
if grep -q '/@types/node/' <<<"$web"; then
  echo "web/ sees @types/node through a server module it imports: move the shared types to a module without Node imports" >&2
  status=1
fi

npx tsc --noEmit -p e2e/tsconfig.json || status=1
npx tsc --noEmit -p bench/tsconfig.json || status=1
exit "$status"
