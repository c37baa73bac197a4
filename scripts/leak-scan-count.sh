#!/usr/bin/env bash
# Runs the whole jest suite (or the paths given) with LEAK_SCAN_LOG set: every
# run of dist/index.js through __tests__/support/action.ts, and every step run
# in-process through __tests__/support/in-process-step.ts, is leak-scanned and
# adds a line there. Prints the runs scanned per test file, then the counts.
# Exits with jest's status.
set -uo pipefail
cd "$(dirname "$0")/.."
# The repository's Node (npm ci installs it), as npm scripts use.
export PATH="$PWD/node_modules/.bin:$PATH"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
LEAK_SCAN_LOG="$log" NODE_OPTIONS=--experimental-vm-modules node_modules/.bin/jest "$@" >/dev/null 2>&1
status=$?
awk '{ print $NF }' "$log" | sort | uniq -c | sort -rn
leaks=$(grep -c ' LEAK ' "$log" || true)
inProcess=$(grep -c ' in-process ' "$log" || true)
echo "$(wc -l <"$log" | tr -d ' ') runs leak-scanned ($(($(wc -l <"$log") - inProcess)) spawned, ${inProcess} in-process), ${leaks} with a leak"
exit "$status"
