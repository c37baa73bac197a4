#!/usr/bin/env bash
# Runs the whole jest suite (or the paths given) with GITHUB_VALIDATION_LOG set:
# every test file that starts an emulator adds how many GitHub requests it held
# to GitHub's OpenAPI description, and how many departed from it (each of those
# fails its file unless the test expected it). Prints the totals.
# Exits with jest's status.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
GITHUB_VALIDATION_LOG="$log" NODE_OPTIONS=--experimental-vm-modules node_modules/.bin/jest "$@" >/dev/null 2>&1
status=$?
awk '{ validated += $1; departed += $2; files += 1 } END { printf "%d GitHub requests validated against the OpenAPI description in %d test files; %d departed from it (expected by the emulator self-tests)\n", validated, files, departed }' "$log"
exit "$status"
