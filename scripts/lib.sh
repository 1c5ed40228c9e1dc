# Shared by the README's two commands (run.sh, test.sh) and the benchmarks: install what Ravada needs
# on Debian 12 and start the daemons it depends on. Sourced, not executed.

RAVADA_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RAVADA_CACHE=${RAVADA_CACHE:-$RAVADA_ROOT/.cache}

# Debian packages needed to run the system (rvd_back on a local KVM/TCG host, rvd_front); grub-rescue-pc holds
# the demo base's ISO and curl lets run.sh check that the portal answers.
RUNTIME_PACKAGES=(
  libvirt0 libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils ovmf
  dnsmasq-base iptables iproute2 grub-rescue-pc curl libldap-2.5-0
)
# Extra packages the tests need: schema validation, the idle test guest (Debian kernel, busybox), and the
# browser the portal's browser tests drive (Playwright uses Debian's Chromium, it downloads none).
TEST_PACKAGES=(
  libxml2-utils busybox-static linux-image-amd64 kmod cpio gzip procps grub-pc-bin grub-common xorriso mtools
  chromium
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

# Names of the libvirt objects that tests and benchmarks create; nothing else carries these prefixes.
TEST_OBJECT_PATTERN='^(rvdtest-|rvdbench-)'

# list_test_objects: the domains, pools, networks and volumes whose names carry a test or benchmark prefix.
list_test_objects() {
  local uri=qemu:///system pool
  {
    virsh -c $uri list --all --name
    virsh -c $uri pool-list --all --name
    virsh -c $uri net-list --all --name
    for pool in $(virsh -c $uri pool-list --name); do virsh -c $uri vol-list "$pool" 2>/dev/null | awk 'NR>2 {print $1}'; done
  } | grep -E "$TEST_OBJECT_PATTERN" || true
}

# without_live_bench_runs: filters names (one per line) and drops those of a benchmark run that is still alive,
# that is, whose lock file /var/tmp/rvdbench-ID.lock is held (bench/Ravada.Bench/RunLock.cs): a test run on the
# same machine neither purges nor counts them.
without_live_bench_runs() {
  local name id lock
  while IFS= read -r name; do
    if [[ $name =~ ^rvdbench-([0-9a-f]{8}) ]]; then
      id=${BASH_REMATCH[1]}
      lock=/var/tmp/rvdbench-$id.lock
      if [ -e "$lock" ] && ! flock -n "$lock" true 2>/dev/null; then
        continue
      fi
    fi
    printf '%s\n' "$name"
  done
}

# purge_test_objects: removes what an interrupted test or benchmark run left in libvirt (domains with their
# managed saves and snapshots' metadata, volumes, pools, networks), so the next run starts clean.
purge_test_objects() {
  local uri=qemu:///system name pool
  for name in $(virsh -c $uri list --all --name | grep -E "$TEST_OBJECT_PATTERN" | without_live_bench_runs); do
    virsh -c $uri destroy "$name" >/dev/null 2>&1 || true
    virsh -c $uri undefine "$name" --managed-save --nvram >/dev/null 2>&1 || virsh -c $uri undefine "$name" >/dev/null 2>&1 || true
  done
  for pool in $(virsh -c $uri pool-list --name); do
    for name in $(virsh -c $uri vol-list "$pool" 2>/dev/null | awk 'NR>2 {print $1}' | grep -E "$TEST_OBJECT_PATTERN" | without_live_bench_runs); do
      virsh -c $uri vol-delete --pool "$pool" "$name" >/dev/null 2>&1 || true
    done
  done
  for name in $(virsh -c $uri pool-list --all --name | grep -E "$TEST_OBJECT_PATTERN" | without_live_bench_runs); do
    for volume in $(virsh -c $uri vol-list "$name" 2>/dev/null | awk 'NR>2 {print $1}'); do
      virsh -c $uri vol-delete --pool "$name" "$volume" >/dev/null 2>&1 || true
    done
    virsh -c $uri pool-destroy "$name" >/dev/null 2>&1 || true
    virsh -c $uri pool-delete "$name" >/dev/null 2>&1 || true
    virsh -c $uri pool-undefine "$name" >/dev/null 2>&1 || true
  done
  for name in $(virsh -c $uri net-list --all --name | grep -E "$TEST_OBJECT_PATTERN" | without_live_bench_runs); do
    virsh -c $uri net-destroy "$name" >/dev/null 2>&1 || true
    virsh -c $uri net-undefine "$name" >/dev/null 2>&1 || true
  done
}

# The idle test guest lives where QEMU (running as libvirt-qemu) can read it.
IDLE_GUEST_DIR=${RAVADA_IDLE_GUEST_DIR:-/var/tmp/ravada-idle-guest}

# build_idle_guest: the small Debian kernel + busybox guest used by tests and benchmarks.
build_idle_guest() {
  "$RAVADA_ROOT/tests/guests/build-idle-guest.sh" "$IDLE_GUEST_DIR" || die "building the idle test guest failed"
}

# The database servers the data-layer tests run against. Each test creates and drops its own database,
# so the login below may only create databases named ravada_test_*. Loopback only; the password is no secret.
DATABASE_PACKAGES=(mariadb-server mariadb-client postgresql)
RAVADA_TEST_DB_USER=ravada_test
RAVADA_TEST_DB_PASSWORD=ravada-test-only

# start_databases: installs MariaDB and PostgreSQL, starts them on 127.0.0.1 without systemd, creates the
# test login and exports RAVADA_TEST_MYSQL and RAVADA_TEST_POSTGRES. Safe to run again.
start_databases() {
  install_packages "${DATABASE_PACKAGES[@]}"
  start_mariadb
  start_postgresql
  export RAVADA_TEST_MYSQL="Server=127.0.0.1;Port=3306;User ID=$RAVADA_TEST_DB_USER;Password=$RAVADA_TEST_DB_PASSWORD"
  export RAVADA_TEST_POSTGRES="Host=127.0.0.1;Port=5432;Username=$RAVADA_TEST_DB_USER;Password=$RAVADA_TEST_DB_PASSWORD;Database=postgres"
}

start_mariadb() {
  local config=/etc/mysql/mariadb.conf.d/90-ravada-test.cnf
  if [ ! -e "$config" ]; then
    printf '[mariadbd]\nbind-address = 127.0.0.1\nport = 3306\n' >"$config"
  fi
  if ! mariadb-admin --protocol=socket ping >/dev/null 2>&1; then
    log "Starting MariaDB"
    service mariadb start >/dev/null || die "MariaDB did not start"
  fi
  wait_for "MariaDB" mariadb-admin --protocol=socket ping
  mariadb --protocol=socket --batch <<SQL || die "creating the MariaDB test login failed"
CREATE USER IF NOT EXISTS '$RAVADA_TEST_DB_USER'@'127.0.0.1' IDENTIFIED BY '$RAVADA_TEST_DB_PASSWORD';
CREATE USER IF NOT EXISTS '$RAVADA_TEST_DB_USER'@'localhost' IDENTIFIED BY '$RAVADA_TEST_DB_PASSWORD';
GRANT ALL PRIVILEGES ON \`ravada\\_test\\_%\`.* TO '$RAVADA_TEST_DB_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`ravada\\_test\\_%\`.* TO '$RAVADA_TEST_DB_USER'@'localhost';
SQL
}

start_postgresql() {
  local version
  version=$(pg_lsclusters -h | awk '$2 == "main" {print $1; exit}')
  [ -n "$version" ] || die "no PostgreSQL cluster named main (pg_lsclusters shows none)"
  local config=/etc/postgresql/$version/main/conf.d/90-ravada-test.conf
  if [ ! -e "$config" ]; then
    printf "listen_addresses = 'localhost'\n" >"$config"
  fi
  if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    log "Starting PostgreSQL $version"
    pg_ctlcluster "$version" main start || die "PostgreSQL did not start"
  fi
  wait_for "PostgreSQL" pg_isready --quiet --host=127.0.0.1 --port=5432
  runuser -u postgres -- psql --quiet --no-psqlrc --set=ON_ERROR_STOP=1 --dbname=postgres >/dev/null <<SQL || die "creating the PostgreSQL test role failed"
SELECT 'CREATE ROLE $RAVADA_TEST_DB_USER' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$RAVADA_TEST_DB_USER')\gexec
ALTER ROLE $RAVADA_TEST_DB_USER LOGIN CREATEDB PASSWORD '$RAVADA_TEST_DB_PASSWORD';
SQL
}

# wait_for NAME COMMAND...: retries COMMAND for up to 30 s.
wait_for() {
  local name=$1
  shift
  local attempt
  for attempt in $(seq 1 150); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  die "$name does not answer"
}

# The LDAP tests' directory server: Debian's slapd with a configuration of our own in a temporary directory (the
# package's own configuration and daemon are skipped through debconf), run by tests/ldap/start-slapd.sh.
LDAP_TEST_PACKAGES=(slapd ldap-utils openssl)

# start_slapd: installs slapd, starts a seeded test directory on two free loopback ports (LDAP/StartTLS and
# LDAPS) with certificates of its own CA, and exports RAVADA_TEST_LDAP_*. stop_slapd ends it and removes it.
start_slapd() {
  if ! dpkg-query -W -f='${Status}' slapd 2>/dev/null | grep -q "install ok installed"; then
    echo "slapd slapd/no_configuration boolean true" | debconf-set-selections
  fi
  install_packages "${LDAP_TEST_PACKAGES[@]}"
  RAVADA_TEST_LDAP_DIR=$(mktemp -d /tmp/rvdtest-slapd.XXXXXX)
  log "Starting a test LDAP directory in $RAVADA_TEST_LDAP_DIR"
  "$RAVADA_ROOT/tests/ldap/start-slapd.sh" "$RAVADA_TEST_LDAP_DIR" || die "the test LDAP directory did not start"
  source "$RAVADA_TEST_LDAP_DIR/env"
}

stop_slapd() {
  [ -n "${RAVADA_TEST_LDAP_DIR:-}" ] || return 0
  if [ -s "$RAVADA_TEST_LDAP_DIR/slapd.pid" ]; then
    kill "$(cat "$RAVADA_TEST_LDAP_DIR/slapd.pid")" 2>/dev/null || true
    local attempt
    for attempt in $(seq 1 50); do
      [ -e "$RAVADA_TEST_LDAP_DIR/slapd.pid" ] || break
      sleep 0.1
    done
  fi
  rm -rf "$RAVADA_TEST_LDAP_DIR"
  RAVADA_TEST_LDAP_DIR=
}
