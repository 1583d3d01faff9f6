#!/usr/bin/env bash
# npm run lint: ESLint (type-checked), Prettier and shellcheck, the lab images' scripts included.
# ESLint and Prettier take every TypeScript file of the repository (their ignore lists skip only
# build output, data and the lab images under /docker/).
# --without-eslint: Prettier and shellcheck only (npm test runs ESLint in scripts/check.ts, over
# the programs its type check has built).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

status=0
if [ "${1:-}" != --without-eslint ]; then
  npx eslint --cache --cache-location node_modules/.cache/eslint/ . || status=1
fi
npx prettier --check --cache --log-level warn . || status=1

# Shell scripts: *.sh, anything with a sh/bash shebang, and root's .bashrc in the images.
scripts=()
while IFS= read -r file; do
  case "$file" in
    *.sh | */.bashrc) scripts+=("$file") ;;
    *) head -n 1 "$file" | grep -qE '^#!.*\b(ba)?sh\b' && scripts+=("$file") ;;
  esac
done < <(git ls-files scripts docker .ci)
if command -v shellcheck >/dev/null; then
  shellcheck "${scripts[@]}" || status=1
else
  echo "shellcheck is not installed (npm test installs it; or: apt-get install shellcheck)" >&2
  status=1
fi
exit "$status"
