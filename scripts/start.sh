#!/usr/bin/env bash
# npm start: install what is missing, then serve iptables-lab.
cd "$(dirname "$0")/.."
source scripts/lib/prereqs.sh
ensure_prereqs
say "Starting the server"
exec npx tsx main.ts
