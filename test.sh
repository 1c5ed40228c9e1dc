#!/usr/bin/env bash
# Runs every test of Ravada for .NET: unit tests, the libvirt binding on libvirt's test driver, and real
# guests on qemu:///system (KVM, or TCG where KVM cannot run guests), and the data layer on SQLite, MariaDB and
# PostgreSQL. Debian 12, as root, .NET 10 SDK. It installs the Debian packages it needs, starts libvirtd and
# the database servers, and ends with "N passed, N failed[, N skipped]".
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

require_root
require_dotnet
install_packages "${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
start_libvirt
start_databases
start_slapd
trap stop_slapd EXIT
build_idle_guest
stale=$(list_test_objects | without_live_bench_runs)
if [ -n "$stale" ]; then
  log "Removing what an interrupted earlier run left in libvirt: $(echo $stale)"
  purge_test_objects
fi
export RAVADA_IDLE_GUEST_DIR=$IDLE_GUEST_DIR

cd "$RAVADA_ROOT"
results=$RAVADA_ROOT/artifacts/test-results
rm -rf "$results"
mkdir -p "$results"

log "Building"
dotnet build Ravada.slnx -c Release -nologo -v quiet || die "the build failed"

log "Running the tests"
# Test modules run one after another: some of them restart libvirtd or start real guests.
test_status=0
dotnet test --solution Ravada.slnx -c Release --no-build --max-parallel-test-modules 1 \
  --results-directory "$results" --report-xunit-xml || test_status=$?

passed=0 failed=0 skipped=0 errors=0
for report in "$results"/*.xml; do
  [ -e "$report" ] || continue
  line=$(grep -m1 -o '<assembly [^>]*>' "$report" || true)
  value() { printf '%s' "$line" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed)))
  skipped=$((skipped + $(value skipped)))
  errors=$((errors + $(value errors)))
done
# Fixture or cleanup failures are not tests, but they are failures.
failed=$((failed + errors))
if [ "$test_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "dotnet test exited with $test_status without a failed test: counting the run as one failure" >&2
  failed=$((failed + 1))
fi

log "Checking that the tests left nothing behind in libvirt"
leftovers=$(list_test_objects | without_live_bench_runs)
if [ -n "$leftovers" ]; then
  echo "left behind: $leftovers" >&2
  failed=$((failed + 1))
else
  passed=$((passed + 1))
fi

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
