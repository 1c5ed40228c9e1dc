#!/usr/bin/env bash
# Runs the benchmarks against qemu:///system and writes docs/benchmarks.md (see bench/README.md).
# Run as root: it installs Debian packages, starts libvirtd, builds the idle test guest and publishes rvd_back
# (and rvd_front for the front-end suite). Extra arguments go to the benchmarks: --suite binding|backend|front|all
# (default all: the suites of bench/Ravada.Bench, then the front-end suite of bench/Ravada.Bench.Front), --quick for
# a smoke test, --idle-minutes N for the back-end suite's idle period.
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
  # The back-end suite starts rvd_back as its own process, from the same Release build ./run.sh runs.
  log "Publishing rvd_back (Release) to artifacts/rvd_back"
  dotnet publish src/Ravada.Back -c Release -o artifacts/rvd_back -nologo -v quiet || die "the build of rvd_back failed"
  log "Running the benchmarks (binding suite about 3 minutes, back-end suite about 30)"
  dotnet run -c Release --project bench/Ravada.Bench -- --output docs/benchmarks.md --idle-guest "$IDLE_GUEST_DIR" \
    --rvd-back artifacts/rvd_back/rvd_back "$@"
fi

if [ "$suite" = all ] || [ "$suite" = front ]; then
  # The front-end suite drives Debian's Chromium with Playwright; it never downloads a browser.
  install_packages chromium
  log "Publishing rvd_front and rvd_back (Release) to artifacts/"
  dotnet publish src/Ravada.Front -c Release -o artifacts/rvd_front -nologo -v quiet || die "the build of rvd_front failed"
  dotnet publish src/Ravada.Back -c Release -o artifacts/rvd_back -nologo -v quiet || die "the build of rvd_back failed"
  log "Running the front-end suite (about 10 minutes)"
  dotnet run -c Release --project bench/Ravada.Bench.Front -- --output docs/benchmarks.md \
    --rvd-front artifacts/rvd_front/rvd_front.dll --rvd-back artifacts/rvd_back/rvd_back.dll --idle-guest "$IDLE_GUEST_DIR" \
    "${front_arguments[@]}"
fi
