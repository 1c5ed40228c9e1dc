#!/usr/bin/env bash
# Runs the benchmarks against qemu:///system and writes docs/benchmarks.md (see bench/README.md).
# Run as root: it installs Debian packages, starts libvirtd and builds the idle test guest.
# Extra arguments go to the benchmark, e.g. --quick for a smoke test.
# --suite front runs only the front-end suite (bench/Ravada.Bench.Front), any other --suite only the suites of
# bench/Ravada.Bench; without --suite, or with --suite all, the front-end suite runs after them.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

require_root
require_dotnet
# gcc and libvirt-dev compile the C floor of the native call benchmark.
install_packages "${RUNTIME_PACKAGES[@]}" "${TEST_PACKAGES[@]}" gcc libc6-dev libvirt-dev
start_libvirt
build_idle_guest

suite=all
front_arguments=()
previous=
for argument in "$@"; do
  [ "$previous" = --suite ] && suite=$argument
  [ "$argument" = --quick ] && front_arguments+=(--quick)
  previous=$argument
done

cd "$RAVADA_ROOT"
if [ "$suite" != front ]; then
  log "Running the benchmarks (about 5 minutes)"
  dotnet run -c Release --project bench/Ravada.Bench -- --output docs/benchmarks.md --idle-guest "$IDLE_GUEST_DIR" "$@"
fi

if [ "$suite" = all ] || [ "$suite" = front ]; then
  # The front-end suite drives Debian's Chromium with Playwright; it never downloads a browser.
  install_packages chromium
  log "Publishing rvd_front and rvd_back (Release) to artifacts/"
  dotnet publish src/Ravada.Front -c Release -o artifacts/rvd_front -nologo -v quiet || die "the build of rvd_front failed"
  dotnet publish src/Ravada.Back -c Release -o artifacts/rvd_back -nologo -v quiet || die "the build of rvd_back failed"
  log "Running the front-end suite (about 8 minutes)"
  dotnet run -c Release --project bench/Ravada.Bench.Front -- --output docs/benchmarks.md \
    --rvd-front artifacts/rvd_front/rvd_front.dll --rvd-back artifacts/rvd_back/rvd_back.dll --idle-guest "$IDLE_GUEST_DIR" \
    "${front_arguments[@]}"
fi
