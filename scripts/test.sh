#!/usr/bin/env bash
# The test command for local runs and CI: installs the servers integration tests start privately, runs every test
# project in the solution, and fails if any test failed, was skipped, or if no test ran at all.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

bash scripts/install-test-deps.sh

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

# A hung test becomes a failed run instead of a stuck job.
test_status=0
dotnet test LeadHandoff.sln -c Release \
  --results-directory "$results" \
  --logger trx \
  --logger "console;verbosity=normal" \
  --blame-hang-timeout 15m --blame-hang-dump-type none \
  || test_status=$?

passed=0 failed=0 skipped=0 total=0
counter() { # counter NAME COUNTERS_ELEMENT -> the attribute's value, 0 when absent
  local value
  value="$(sed -n "s/.*[[:space:]]$1=\"\([0-9]*\)\".*/\1/p" <<<"$2")"
  echo "${value:-0}"
}

shopt -s nullglob globstar
trx_files=("$results"/**/*.trx)
for trx in "${trx_files[@]}"; do
  counters="$(grep -o '<Counters [^>]*>' "$trx" || true)"
  if [[ -z "$counters" ]]; then
    echo "test.sh: no <Counters> in $trx" >&2
    test_status=1
    continue
  fi
  file_total=$(counter total "$counters")
  file_executed=$(counter executed "$counters")
  # xunit's skipped tests are results with outcome NotExecuted; the Counters element does not count them.
  file_skipped=$(grep -o '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" | wc -l || true)
  file_not_run=$((file_total - file_executed - file_skipped))
  if ((file_not_run > 0)); then
    echo "test.sh: $file_not_run test(s) in $trx neither ran nor were skipped (aborted run?)" >&2
  else
    file_not_run=0
  fi
  total=$((total + file_total))
  passed=$((passed + $(counter passed "$counters")))
  failed=$((failed + $(counter failed "$counters") + $(counter error "$counters") \
    + $(counter timeout "$counters") + $(counter aborted "$counters") + file_not_run))
  skipped=$((skipped + file_skipped))
done

status=0
if ((${#trx_files[@]} == 0)); then
  echo "test.sh: no test results in $results (did the build fail?)" >&2
  status=1
fi
# Each test project writes one trx file; fewer means a project's results went missing.
test_projects="$(dotnet sln LeadHandoff.sln list | grep -c '^tests/.*\.csproj$' || true)"
if ((${#trx_files[@]} < test_projects)); then
  echo "test.sh: ${#trx_files[@]} result file(s) for $test_projects test project(s)" >&2
  status=1
fi
if ((total == 0 || passed == 0)); then
  echo "test.sh: no tests ran" >&2
  status=1
fi
if ((skipped > 0)); then
  echo "test.sh: $skipped test(s) skipped; a skipped test is a failure here" >&2
  status=1
fi
if ((failed > 0 || test_status != 0)); then
  status=1
fi

# The console log is long; name every failed test again at the end, with the first line of its message.
for trx in "${trx_files[@]}"; do
  python3 - "$trx" <<'PY' || true
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for result in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if result.get("outcome") not in ("Passed", "NotExecuted"):
        message = result.find("t:Output/t:ErrorInfo/t:Message", ns)
        first = (message.text or "").strip().splitlines()[:1] if message is not None else []
        print(f"FAILED {result.get('testName')}: {first[0] if first else result.get('outcome')}")
PY
done

echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
