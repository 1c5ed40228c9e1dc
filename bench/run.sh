#!/usr/bin/env bash
# Runs the benchmarks against qemu:///system and writes docs/benchmarks.md (see bench/README.md).
# Run as root: it installs Debian packages, starts libvirtd and builds the idle test guest.
# Extra arguments go to the benchmark, e.g. --quick for a smoke test.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

require_root
require_dotnet
# gcc and libvirt-dev compile the C floor of the native call benchmark.
install_packages "${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}" gcc libc6-dev libvirt-dev
start_libvirt
build_idle_guest

cd "$RAVADA_ROOT"
log "Running the benchmarks (about 5 minutes)"
dotnet run -c Release --project bench/Ravada.Bench -- --output docs/benchmarks.md --idle-guest "$IDLE_GUEST_DIR" "$@"
