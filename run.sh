#!/usr/bin/env bash
# Brings up Ravada on this host, as root (Debian 12 with the .NET 10 SDK):
#   ./run.sh         installs the Debian packages, publishes rvd_back and rvd_front into /opt/ravada, creates the
#                    ravada user, /etc/ravada.conf (when absent), the database, the libvirt storage pool and network,
#                    an administrator (its password is printed once) and a demo base, starts both daemons in the
#                    background and prints the portal's address. Running it again rebuilds and restarts the
#                    daemons and keeps everything else.
#   ./run.sh stop    stops rvd_front and rvd_back.
# docs/operations.md describes the files and directories it uses.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/scripts/lib.sh"

export LC_ALL=C
umask 022

INSTALL_DIR=/opt/ravada
CONFIG=/etc/ravada.conf
LOG_DIR=/var/log/ravada
BACK_LOG=$LOG_DIR/rvd_back.log
FRONT_LOG=$LOG_DIR/rvd_front.log
FRONT_PID_FILE=/run/rvd_front.pid
SERVICE_USER=ravada
ADMIN_NAME="admin"
DEMO_BASE=demo-grub-rescue
DEMO_ISO_SOURCE=/usr/lib/grub-rescue/grub-rescue-cdrom.iso
DEMO_ISO=grub-rescue-cdrom.iso
SETTINGS=

rvd_back() { "$INSTALL_DIR/rvd_back/rvd_back" --config "$CONFIG" "$@"; }

# setting KEY: the value in effect of a configuration key, as `rvd_back --show-config` printed it into SETTINGS.
setting() { awk -v key="$1" 'index($0, key ": ") == 1 { print substr($0, length(key) + 3); exit }' <<<"$SETTINGS"; }

# fail MESSAGE: says what went wrong, shows the end of the daemons' logs, and exits non-zero.
fail() {
  printf 'error: %s\n' "$*" >&2
  if [ -n "${ADMIN_PASSWORD:-}" ]; then
    printf 'The administrator %s was created with the password %s: keep it, it is not shown again.\n' "$ADMIN_NAME" "$ADMIN_PASSWORD" >&2
  fi
  local log_file
  for log_file in "$BACK_LOG" "$FRONT_LOG"; do
    [ -s "$log_file" ] || continue
    printf '\n--- last lines of %s ---\n' "$log_file" >&2
    tail -n 30 "$log_file" >&2
  done
  exit 1
}

# process_named PID NAME: whether PID is a running process whose program is NAME (a PID file may be stale).
process_named() {
  local pid=$1 name=$2 program
  [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/cmdline" ] || return 1
  program=$(tr '\0' '\n' <"/proc/$pid/cmdline" | head -n 1)
  [ "$(basename "$program")" = "$name" ]
}

# stop_daemon NAME PID_FILE GRACE_SECONDS: SIGTERM to the process in PID_FILE, SIGKILL after GRACE_SECONDS.
stop_daemon() {
  local name=$1 pid_file=$2 grace=$3 pid
  pid=$(head -n 1 "$pid_file" 2>/dev/null || true)
  process_named "$pid" "$name" || return 0
  log "Stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((grace * 5))); do
    process_named "$pid" "$name" || break
    sleep 0.2
  done
  if process_named "$pid" "$name"; then
    echo "warning: $name (pid $pid) did not stop within $grace s: killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

# stop_all: stops rvd_front, then rvd_back, whose PID file and grace period come from SETTINGS (read here when
# unset; the defaults when the configuration cannot be read).
stop_all() {
  stop_daemon rvd_front "$FRONT_PID_FILE" 30
  rm -f "$FRONT_PID_FILE"
  if [ -z "${SETTINGS:-}" ] && [ -x "$INSTALL_DIR/rvd_back/rvd_back" ]; then
    SETTINGS=$(rvd_back --show-config 2>/dev/null) || SETTINGS=
  fi
  local pid_file grace
  pid_file=$(setting backend.pid_file)
  grace=$(setting backend.stop_grace_seconds)
  stop_daemon rvd_back "${pid_file:-/run/rvd_back.pid}" $((${grace:-20} + 15))
}

publish() {
  local project=$1 name=$2
  log "Building $name"
  dotnet publish "src/$project" -c Release -o "artifacts/$name" -nologo -v quiet || die "the build of $name failed"
}

# install_program NAME: copies the published program into INSTALL_DIR/NAME, readable by everyone (rvd_front
# runs as ravada, which may not read the source tree), and links /usr/sbin/NAME to it, where the systemd units look.
install_program() {
  local name=$1
  rm -rf "$INSTALL_DIR/$name.new"
  mkdir -p "$INSTALL_DIR"
  cp -R "artifacts/$name" "$INSTALL_DIR/$name.new"
  chmod -R u+rwX,go+rX,go-w "$INSTALL_DIR/$name.new"
  rm -rf "${INSTALL_DIR:?}/$name"
  mv "$INSTALL_DIR/$name.new" "$INSTALL_DIR/$name"
  ln -sfn "$INSTALL_DIR/$name/$name" "/usr/sbin/$name"
}

ensure_service_user() {
  getent group "$SERVICE_USER" >/dev/null || groupadd --system "$SERVICE_USER"
  if ! getent passwd "$SERVICE_USER" >/dev/null; then
    log "Creating the system user $SERVICE_USER (rvd_front runs as it)"
    useradd --system --gid "$SERVICE_USER" --home-dir /var/lib/ravada --no-create-home --shell /usr/sbin/nologin \
      --comment "Ravada web portal" "$SERVICE_USER"
  fi
}

as_service_user() { setpriv --reuid="$SERVICE_USER" --regid="$SERVICE_USER" --init-groups --reset-env -- "$@"; }

write_config_when_absent() {
  if [ ! -e "$CONFIG" ]; then
    log "Writing $CONFIG"
    install -m 0640 -o root -g "$SERVICE_USER" /dev/null "$CONFIG"
    cat >"$CONFIG" <<'YAML'
# /etc/ravada.conf, written by ./run.sh because there was none. rvd_back (root) and rvd_front (user ravada,
# through the file's group) read it. Every key is optional; these are defaults, written out to be seen and
# changed. packaging/ravada.conf.example lists every key, docs/configuration.md explains them.
# After a change, run ./run.sh again (it restarts the daemons).
db:
  driver: sqlite
  file: /var/lib/ravada/ravada.db
storage:
  pool: default
network: default
frontend:
  listen_address: 127.0.0.1
  port: 8081
  data_protection_dir: /var/lib/ravada/front-keys
YAML
  fi
  if ! as_service_user test -r "$CONFIG"; then
    log "Letting the group $SERVICE_USER read $CONFIG (chgrp $SERVICE_USER, chmod g+r,o-rwx)"
    chgrp "$SERVICE_USER" "$CONFIG"
    chmod g+r,o-rwx "$CONFIG"
  fi
}

# prepare_files: the SQLite database and its directory, shared by root's rvd_back and ravada's rvd_front (WAL
# needs the directory writable), rvd_front's key directory, and the log directory.
prepare_files() {
  if [ "$(setting db.driver)" = sqlite ]; then
    local database directory file
    database=$(setting db.file)
    directory=$(dirname "$database")
    mkdir -p "$directory"
    chown root:"$SERVICE_USER" "$directory"
    chmod 2770 "$directory"
    # An empty file is an empty SQLite database; created here, it has the owner and mode that SQLite gives
    # its -wal and -shm files too.
    [ -e "$database" ] || install -m 0660 -o root -g "$SERVICE_USER" /dev/null "$database"
    for file in "$database" "$database-wal" "$database-shm"; do
      [ -e "$file" ] || continue
      chown root:"$SERVICE_USER" "$file"
      chmod 0660 "$file"
    done
  fi
  local keys
  keys=$(setting frontend.data_protection_dir)
  mkdir -p "$(dirname "$keys")"
  install -d -m 0700 -o "$SERVICE_USER" -g "$SERVICE_USER" "$keys"
  install -d -m 0755 "$LOG_DIR"
}

# ensure_pool NAME: the libvirt storage pool exists (a directory pool is created if it does not), runs and
# starts with libvirtd. Existing pools are never redefined.
ensure_pool() {
  local name=$1 directory info
  if ! virsh -c "$LIBVIRT_URI" pool-info "$name" >/dev/null 2>&1; then
    if [ "$name" = default ]; then directory=/var/lib/libvirt/images; else directory=/var/lib/libvirt/pools/$name; fi
    log "Creating the libvirt storage pool $name in $directory"
    virsh -c "$LIBVIRT_URI" pool-define-as "$name" dir --target "$directory" >/dev/null || fail "defining the storage pool $name failed"
    virsh -c "$LIBVIRT_URI" pool-build "$name" >/dev/null || fail "creating the directory of the storage pool $name failed"
  fi
  info=$(virsh -c "$LIBVIRT_URI" pool-info "$name")
  if ! grep -q '^State: *running' <<<"$info"; then
    log "Starting the storage pool $name"
    virsh -c "$LIBVIRT_URI" pool-start "$name" >/dev/null || fail "starting the storage pool $name failed"
  fi
  grep -q '^Autostart: *yes' <<<"$info" || virsh -c "$LIBVIRT_URI" pool-autostart "$name" >/dev/null
}

# free_subnet: a 192.168.N.0/24 that no interface, route or libvirt network uses.
free_subnet() {
  local used n
  used="$(ip -4 -o addr show) $(ip -4 route show) $(for network in $(virsh -c "$LIBVIRT_URI" net-list --all --name); do
    virsh -c "$LIBVIRT_URI" net-dumpxml "$network"; done)"
  for n in $(seq 100 254); do
    grep -q "192\.168\.$n\." <<<"$used" || { echo "$n"; return 0; }
  done
  fail "no free 192.168.N.0/24 subnet for a libvirt network"
}

# ensure_network NAME: the libvirt network exists (libvirt's own default, or a new NAT network), is active and
# starts with libvirtd. Existing networks are never redefined.
ensure_network() {
  local name=$1 info subnet
  if ! virsh -c "$LIBVIRT_URI" net-info "$name" >/dev/null 2>&1; then
    log "Creating the libvirt network $name"
    if [ "$name" = default ] && [ -r /usr/share/libvirt/networks/default.xml ]; then
      virsh -c "$LIBVIRT_URI" net-define /usr/share/libvirt/networks/default.xml >/dev/null || fail "defining the network default failed"
    else
      subnet=$(free_subnet)
      virsh -c "$LIBVIRT_URI" net-define /dev/stdin >/dev/null <<XML || fail "defining the network $name failed"
<network>
  <name>$name</name>
  <forward mode='nat'/>
  <ip address='192.168.$subnet.1' netmask='255.255.255.0'>
    <dhcp><range start='192.168.$subnet.2' end='192.168.$subnet.254'/></dhcp>
  </ip>
</network>
XML
    fi
  fi
  info=$(virsh -c "$LIBVIRT_URI" net-info "$name")
  if ! grep -q '^Active: *yes' <<<"$info"; then
    log "Starting the libvirt network $name"
    virsh -c "$LIBVIRT_URI" net-start "$name" >/dev/null || fail "starting the libvirt network $name failed"
  fi
  grep -q '^Autostart: *yes' <<<"$info" || virsh -c "$LIBVIRT_URI" net-autostart "$name" >/dev/null
}

# ensure_demo_iso: the GRUB rescue ISO as a volume of the ISO pool, where create requests look for ISOs.
ensure_demo_iso() {
  local pool size
  pool=$(setting storage.iso_pool)
  virsh -c "$LIBVIRT_URI" vol-info --pool "$pool" "$DEMO_ISO" >/dev/null 2>&1 && return 0
  log "Uploading the GRUB rescue ISO into the storage pool $pool"
  size=$(stat -c %s "$DEMO_ISO_SOURCE")
  virsh -c "$LIBVIRT_URI" vol-create-as "$pool" "$DEMO_ISO" "$size" --format raw >/dev/null || fail "creating the volume $DEMO_ISO failed"
  virsh -c "$LIBVIRT_URI" vol-upload --pool "$pool" "$DEMO_ISO" "$DEMO_ISO_SOURCE" >/dev/null || fail "uploading $DEMO_ISO_SOURCE failed"
}

# ensure_admin: creates the administrator at the first run and sets ADMIN_PASSWORD (empty when it existed).
ensure_admin() {
  local password output
  password=$(head -c 12 /dev/urandom | base64 | tr '+/' '-_')
  if output=$(printf '%s\n' "$password" | rvd_back --add-user "$ADMIN_NAME" --admin 2>&1); then
    ADMIN_PASSWORD=$password
  elif grep -q "user $ADMIN_NAME already exists" <<<"$output"; then
    ADMIN_PASSWORD=
  else
    fail "creating the administrator failed: $output"
  fi
}

# ensure_demo_base: a public base booting the GRUB rescue ISO (its clones keep the CD-ROM), made when absent.
ensure_demo_base() {
  local listing kind
  listing=$(rvd_back --list) || fail "rvd_back --list failed"
  kind=$(awk -v name="$DEMO_BASE" 'NR > 1 && $1 == name { print $NF }' <<<"$listing")
  if [ -z "$kind" ]; then
    log "Creating the demo machine $DEMO_BASE from the GRUB rescue ISO"
    rvd_back --create-machine "$DEMO_BASE" --iso "$DEMO_ISO" --memory 256 --vcpus 1 --disk 1 --owner "$ADMIN_NAME" \
      || fail "creating the demo machine failed"
    kind=machine
  fi
  if [ "$kind" != base ]; then
    log "Making $DEMO_BASE a public base"
    rvd_back --prepare-base "$DEMO_BASE" --public --with-cd || fail "making $DEMO_BASE a base failed"
  fi
}

start_back() {
  printf '\n==== %s: ./run.sh starts rvd_back\n' "$(date -Is)" >>"$BACK_LOG"
  log "Starting rvd_back"
  setsid env DOTNET_ROOT="$DOTNET_ROOT" "$INSTALL_DIR/rvd_back/rvd_back" --config "$CONFIG" >>"$BACK_LOG" 2>&1 </dev/null &
  local pid=$!
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || fail "rvd_back stopped at start"
    rvd_back --status >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  fail "rvd_back does not write its heartbeat: $(rvd_back --status 2>&1)"
}

start_front() {
  printf '\n==== %s: ./run.sh starts rvd_front\n' "$(date -Is)" >>"$FRONT_LOG"
  log "Starting rvd_front as $SERVICE_USER"
  # The portal serves its pages and scripts from its own directory.
  (cd "$INSTALL_DIR/rvd_front" && exec setsid setpriv --reuid="$SERVICE_USER" --regid="$SERVICE_USER" --init-groups --reset-env -- \
    env DOTNET_ROOT="$DOTNET_ROOT" ./rvd_front --config "$CONFIG") >>"$FRONT_LOG" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$FRONT_PID_FILE"
  for _ in $(seq 1 120); do
    kill -0 "$pid" 2>/dev/null || fail "rvd_front stopped at start"
    curl -fsS -o /dev/null --max-time 2 "$PORTAL_CHECK_URL/login" 2>/dev/null && return 0
    sleep 0.5
  done
  fail "the portal does not answer at $PORTAL_CHECK_URL/login"
}

# portal_urls: PORTAL_URL for people and PORTAL_CHECK_URL for this script (a wildcard address is reached on loopback).
portal_urls() {
  local address port host
  address=$(setting frontend.listen_address)
  port=$(setting frontend.port)
  case "$address" in
    0.0.0.0) host=$(hostname -f 2>/dev/null || hostname); PORTAL_CHECK_URL="http://127.0.0.1:$port" ;;
    ::) host=$(hostname -f 2>/dev/null || hostname); PORTAL_CHECK_URL="http://[::1]:$port" ;;
    *:*) host="[$address]"; PORTAL_CHECK_URL="http://$host:$port" ;;
    *) host=$address; PORTAL_CHECK_URL="http://$host:$port" ;;
  esac
  PORTAL_URL="http://$host:$port/"
}

report() {
  echo
  echo "Ravada is running."
  echo "  Portal:   $PORTAL_URL"
  if [ -n "$ADMIN_PASSWORD" ]; then
    echo "  Login:    $ADMIN_NAME / $ADMIN_PASSWORD"
    echo "            (shown this once: write it down; 'rvd_back --change-password $ADMIN_NAME' sets a new one)"
  else
    echo "  Login:    $ADMIN_NAME, with the password the first ./run.sh printed"
    echo "            (forgotten? 'rvd_back --change-password $ADMIN_NAME' sets a new one)"
  fi
  echo "  Desktop:  'Start a desktop' on $DEMO_BASE in the portal: a GRUB rescue prompt in the browser"
  echo "  Logs:     $BACK_LOG, $FRONT_LOG"
  echo "  Stop:     ./run.sh stop"
  case "$(setting frontend.listen_address)" in
    127.*|::1) ;;
    *) [ "$(setting frontend.allow_plain_http)" = true ] ||
      echo "  Other hosts need HTTPS through a reverse proxy: docs/operations.md, \"Serving other hosts\"" ;;
  esac
}

main() {
  require_root
  case "${1:-}" in
    stop) stop_all; log "Ravada is stopped"; return 0 ;;
    "") ;;
    *) die "usage: ./run.sh [stop]" ;;
  esac

  require_dotnet
  DOTNET_ROOT=$(dirname "$(readlink -f "$(command -v dotnet)")")
  install_packages "${RUNTIME_PACKAGES[@]}"
  start_libvirt

  cd "$RAVADA_ROOT"
  publish Ravada.Back rvd_back
  publish Ravada.Front rvd_front
  ensure_service_user
  as_service_user test -x "$DOTNET_ROOT/dotnet" ||
    die "rvd_front runs as $SERVICE_USER, who cannot run $DOTNET_ROOT/dotnet: install .NET where every user can (such as /usr/share/dotnet)"

  write_config_when_absent
  # Read with the new build, before the running daemons are stopped: a wrong file leaves them running.
  SETTINGS=$(artifacts/rvd_back/rvd_back --config "$CONFIG" --show-config) || die "$CONFIG is not valid (see above)"
  LIBVIRT_URI=$(setting libvirt.uri)

  stop_all
  install_program rvd_back
  install_program rvd_front
  prepare_files

  local pool
  for pool in $(printf '%s\n' "$(setting storage.pool)" "$(setting storage.base_pool)" "$(setting storage.clone_pool)" "$(setting storage.iso_pool)" | sort -u); do
    ensure_pool "$pool"
  done
  ensure_network "$(setting network)"
  ensure_demo_iso

  ensure_admin
  start_back
  ensure_demo_base
  portal_urls
  start_front
  rvd_back --status >/dev/null 2>&1 || fail "rvd_back stopped: $(rvd_back --status 2>&1)"
  report
}

main "$@"
