# Shared by the README's two commands (run.sh, test.sh) and the benchmarks: install what Ravada needs
# on Debian 12 and start the daemons it depends on. Sourced, not executed.

RAVADA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RAVADA_CACHE=${RAVADA_CACHE:-$RAVADA_ROOT/.cache}

# Debian packages needed to run the system (rvd_back on a local KVM/TCG host).
RUNTIME_PACKAGES=(
  libvirt0 libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils ovmf
  dnsmasq-base iptables iproute2 grub-rescue-pc
)
# Extra packages the tests need: schema validation, the idle test guest (Debian kernel, busybox).
TEST_PACKAGES=(
  libxml2-utils busybox-static linux-image-amd64 kmod cpio gzip procps
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" -eq 0 ] || die "run this as root (it installs packages and starts libvirtd)"
}

require_dotnet() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is needed (dotnet on PATH): see https://learn.microsoft.com/dotnet/core/install/linux-debian"
  local major
  major=$(dotnet --version 2>/dev/null | cut -d. -f1)
  [ "${major:-0}" -ge 10 ] || die "the .NET SDK 10 or newer is needed (found $(dotnet --version 2>/dev/null))"
}

# install_packages PKG... : installs the Debian packages that are missing, quietly.
install_packages() {
  local missing=()
  local package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
}

# start_libvirt: starts virtlogd and libvirtd as daemons when they are not running (there may be no systemd).
start_libvirt() {
  if ! pgrep -x virtlogd >/dev/null; then
    log "Starting virtlogd"
    virtlogd --daemon || die "virtlogd did not start"
  fi
  if ! pgrep -x libvirtd >/dev/null; then
    log "Starting libvirtd"
    libvirtd --daemon || die "libvirtd did not start"
  fi
  local attempt
  for attempt in $(seq 1 50); do
    virsh -c qemu:///system version >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  die "libvirtd does not answer on qemu:///system"
}

# The idle test guest lives where QEMU (running as libvirt-qemu) can read it.
IDLE_GUEST_DIR=${RAVADA_IDLE_GUEST_DIR:-/var/tmp/ravada-idle-guest}

# build_idle_guest: the small Debian kernel + busybox guest used by tests and benchmarks.
build_idle_guest() {
  "$RAVADA_ROOT/tests/guests/build-idle-guest.sh" "$IDLE_GUEST_DIR" || die "building the idle test guest failed"
}
