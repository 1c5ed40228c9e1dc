#!/usr/bin/env bash
# Builds the idle test guest: Debian's own kernel plus a tiny busybox initramfs that boots
# in seconds to a shell on the serial console and the VGA screen, loads virtio-net and then
# idles (HLT), unlike the GRUB prompt that spins a vCPU at 100 %.
#
# Usage: build-idle-guest.sh OUTPUT_DIR
# Writes OUTPUT_DIR/vmlinuz and OUTPUT_DIR/initramfs.gz for direct kernel boot, and OUTPUT_DIR/idle.iso, a
# bootable CD of the same (GRUB, no menu delay) for machines that boot from a CD-ROM like a user's desktop
# would. All world-readable, so QEMU can read them.
set -euo pipefail

out=${1:?usage: build-idle-guest.sh OUTPUT_DIR}
busybox=/bin/busybox
[ -x "$busybox" ] || { echo "busybox-static is not installed" >&2; exit 1; }

kernel=$(ls -1 /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n 1)
[ -n "$kernel" ] || { echo "no Debian kernel in /boot (install linux-image-amd64)" >&2; exit 1; }
version=${kernel#/boot/vmlinuz-}

if [ -f "$out/initramfs.gz" ] && [ -f "$out/vmlinuz" ] && [ -f "$out/idle.iso" ] \
   && [ "$(cat "$out/kernel-version" 2>/dev/null)" = "$version" ] && [ "$out/initramfs.gz" -nt "$0" ]; then
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,lib/modules,etc}
cp "$busybox" "$root/bin/busybox"
for applet in sh ash ls cat echo mount insmod ip ifconfig udhcpc sleep uname dmesg ps poweroff reboot halt setsid cttyhack getty hostname tee; do
  ln -s busybox "$root/bin/$applet"
done

modules=()
for module in virtio_pci virtio_net virtio_console; do
  while read -r _ path _; do
    [ -n "$path" ] || continue
    case " ${modules[*]} " in *" $path "*) ;; *) modules+=("$path") ;; esac
  done < <(modprobe --show-depends -S "$version" "$module" | grep '^insmod ')
done
load_lines=""
for path in "${modules[@]}"; do
  name=$(basename "$path")
  cp "$path" "$root/lib/modules/$name"
  load_lines+="insmod /lib/modules/$name 2>/dev/null"$'\n'
done

mkdir -p "$root/usr/share/udhcpc"
cat > "$root/usr/share/udhcpc/default.script" <<'DHCP'
#!/bin/sh
# Applies a DHCP lease from udhcpc so the guest answers on its network.
case "$1" in
  bound|renew)
    ip addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
    ;;
esac
DHCP
chmod 755 "$root/usr/share/udhcpc/default.script"

cat > "$root/init" <<INIT
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
$load_lines
ip link set lo up
hostname ravada-idle
for nic in /sys/class/net/eth*; do
  [ -e "\$nic" ] || continue
  ip link set "\${nic##*/}" up
  udhcpc -b -q -i "\${nic##*/}" -x hostname:ravada-idle >/dev/null 2>&1 &
done
echo "ravada idle guest ready: \$(uname -r)" | tee /dev/ttyS0 > /dev/tty1
# A shell on the serial line and one on the VGA console; init itself just waits.
setsid cttyhack sh </dev/ttyS0 >/dev/ttyS0 2>&1 &
setsid sh -c 'exec sh </dev/tty1 >/dev/tty1 2>&1' &
while true; do sleep 3600; done
INIT
chmod 755 "$root/init"

mkdir -p "$out"
(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -9 > "$work/initramfs.gz"

iso=$work/iso
mkdir -p "$iso/boot/grub"
cp "$kernel" "$iso/vmlinuz"
cp "$work/initramfs.gz" "$iso/initramfs.gz"
cat > "$iso/boot/grub/grub.cfg" <<'GRUB'
set timeout=0
menuentry "ravada idle guest" {
  linux /vmlinuz console=tty0 console=ttyS0 quiet
  initrd /initramfs.gz
}
GRUB
grub-mkrescue -o "$work/idle.iso" "$iso" >/dev/null 2>&1 || { echo "grub-mkrescue failed (packages grub-pc-bin, xorriso, mtools)" >&2; exit 1; }

install -m 0644 "$work/initramfs.gz" "$out/initramfs.gz"
install -m 0644 "$kernel" "$out/vmlinuz"
install -m 0644 "$work/idle.iso" "$out/idle.iso"
echo "$version" > "$out/kernel-version"
chmod 0755 "$out"
