#!/usr/bin/env bash
# Installs what Ravada needs on a fresh Debian 12 machine and runs it, as root (.NET 10 SDK required).
# Today that is the back end: rvd_back in the foreground, reporting the hypervisor it drives.
# Running it again is harmless. Stop it with Ctrl+C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

require_root
require_dotnet
install_packages "${RUNTIME_PACKAGES[@]}"
start_libvirt

cd "$RAVADA_ROOT"
log "Building rvd_back"
dotnet publish src/Ravada.Back -c Release -o artifacts/rvd_back -nologo -v quiet || die "the build failed"

log "Starting rvd_back (Ctrl+C stops it)"
exec artifacts/rvd_back/rvd_back "$@"
