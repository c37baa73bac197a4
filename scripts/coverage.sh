#!/usr/bin/env bash
# Coverage of src/ with the end-to-end tests included: every test runs with
# ACTION_UNDER_TEST=src (the sources stripped of their types in place, so each
# line is its line in src/), V8 records what every action process ran, and c8
# prints lines and branches per module of src/. The unit tests' in-process use
# of src/ is not counted here: the figure is what the action's own runs reach.
set -euo pipefail
cd "$(dirname "$0")/.."
raw=$(mktemp -d)
log=$(mktemp)
if ! ACTION_UNDER_TEST=src NODE_V8_COVERAGE="$raw" NODE_OPTIONS=--experimental-vm-modules npx jest "$@" >"$log" 2>&1; then
  grep -E '^(FAIL|Tests:)' "$log" || tail -20 "$log"
  echo "coverage: the tests failed"
  exit 1
fi
grep -E '^Tests:' "$log"
# The copy of src/ this run made: the newest under .tmp/.
copy=$(ls -td .tmp/src-*/ | head -1)
npx c8 report --temp-directory "$raw" --all --src "$copy" --include "${copy}**" --reporter text --reporter text-summary
