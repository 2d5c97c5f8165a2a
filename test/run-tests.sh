#!/usr/bin/env bash
# Runs the test phases one after the other, times each, and ends with one summary line
# `N passed, N failed` over all jest projects. Exits non-zero if any phase failed.
set -uo pipefail
cd "$(dirname "$0")/.."
phases=("$@")
[ ${#phases[@]} -gt 0 ] || phases=(typecheck unit integration e2e)
results=.test-results
rm -rf "$results" && mkdir -p "$results"
status=0
for phase in "${phases[@]}"; do
  start=$(date +%s)
  echo "=== phase: $phase"
  case "$phase" in
    typecheck) { tsc -p tsconfig.json && tsc -p sdk/src/dashboard-ui/tsconfig.json; } || status=1 ;;
    *) node --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js \
         --selectProjects "$phase" --json --outputFile="$results/$phase.json" --testLocationInResults || status=1 ;;
  esac
  echo "=== phase $phase took $(( $(date +%s) - start )) s"
done
node test/summarize-results.ts "$results" "${phases[@]}" || status=1
exit $status
