#!/usr/bin/env bash
# The one test command: builds everything, runs every test project (xunit, and the node
# compatibility suite when present) and ends with one summary line totalled over all of them.
set -uo pipefail
cd "$(dirname "$0")/.."
results=artifacts/test-results
rm -rf "$results" && mkdir -p "$results"

# The dashboard's page tests drive Debian's Chromium through Playwright (Playwright's own browser download is not
# used); install it when missing.
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
  echo "chromium not found: installing it for the dashboard tests (apt-get install -y chromium)"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi || echo "could not install chromium; the dashboard tests will fail"
fi

if ! dotnet build RaftMq.sln -c Release -nologo -v quiet; then
  echo "build failed"
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0; skipped=0
for proj in tests/*/*.csproj; do
  grep -q '<IsTestProject>true</IsTestProject>' "$proj" || continue
  name=$(basename "$proj" .csproj)
  echo "== $name"
  dotnet test "$proj" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$PWD/$results/$name.trx" --logger "console;verbosity=minimal"
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then failed=$((failed + 1)); echo "   no results from $name"; continue; fi
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  p=$(get passed); f=$(get failed); t=$(get total); e=$(get executed)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done

# Compatibility suite: the unmodified ali-ons RocketMQ client (node), when present.
if [ -f tests/compat/package.json ]; then
  echo "== compat (ali-ons)"
  if (cd tests/compat && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
    out=$(cd tests/compat && node --test --test-reporter=tap 2>&1); echo "$out" | tail -40
    p=$(echo "$out" | grep -E '^# pass ' | grep -o '[0-9]*$'); f=$(echo "$out" | grep -E '^# fail ' | grep -o '[0-9]*$')
    s=$(echo "$out" | grep -E '^# skipped ' | grep -o '[0-9]*$')
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1})); skipped=$((skipped + ${s:-0}))
  else
    echo "npm ci failed for tests/compat"; failed=$((failed + 1))
  fi
fi

summary="tests: $passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
