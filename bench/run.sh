#!/usr/bin/env bash
# Runs the benchmarks against qemu:///system and writes docs/benchmarks.md (see bench/README.md).
# Run as root: it installs Debian packages, starts libvirtd, builds the idle test guest and publishes rvd_back.
# Extra arguments go to the benchmark: --suite binding|backend|all (default all), --quick for a smoke test,
# --idle-minutes N for the back-end suite's idle period.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

require_root
require_dotnet
# gcc and libvirt-dev compile the C floor of the native call benchmark.
install_packages "${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}" gcc libc6-dev libvirt-dev
start_libvirt
build_idle_guest

cd "$RAVADA_ROOT"
# The back-end suite starts rvd_back as its own process, from the same Release build ./run.sh runs.
log "Publishing rvd_back (Release) to artifacts/rvd_back"
dotnet publish src/Ravada.Back -c Release -o artifacts/rvd_back -nologo -v quiet || die "the build of rvd_back failed"

log "Running the benchmarks (binding suite about 3 minutes, back-end suite about 30)"
dotnet run -c Release --project bench/Ravada.Bench -- --output docs/benchmarks.md --idle-guest "$IDLE_GUEST_DIR" \
  --rvd-back artifacts/rvd_back/rvd_back "$@"
