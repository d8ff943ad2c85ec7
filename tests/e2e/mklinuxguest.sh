#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
# Builds the Linux e2e guest: this machine's kernel and a busybox initramfs.
#
# The Linux guest of xs-linux-guest and of the device guests (PV and PVH,
# tests/e2e/devguest.sh): this machine's kernel and a busybox initramfs
# with xenstore-utils (talking to xenstored through the kernel's
# /dev/xen/xenbus), xen-blkfront and xen-netfront from KVER's modules,
# xs-txn-hold and gapwatch (e2e.mk).  Its /init is linux-guest-init.
#
# Usage: mklinuxguest.sh DIR KVER TXNHOLD GAPWATCH -> DIR/vmlinuz, DIR/initrd.gz
set -eu

dir=$1 kver=$2 txnhold=$3 gapwatch=$4
here=$(cd "$(dirname "$0")" && pwd)
root=$dir.root
rm -rf "$root"
mkdir -p "$dir" "$root"/bin "$root"/usr/bin "$root"/proc "$root"/sys "$root"/dev "$root"/tmp \
	"$root"/lib/modules
cp /bin/busybox "$root/bin/busybox"
cp "$txnhold" "$root/usr/bin/xs-txn-hold"
cp "$gapwatch" "$root/usr/bin/gapwatch"
libs=""
for b in /usr/bin/xenstore-read /usr/bin/xenstore-write /usr/bin/xenstore-watch "$txnhold"; do
	case $b in /usr/bin/*) cp "$b" "$root$b";; esac
	libs="$libs $(ldd "$b" | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}')"
done
for l in $(echo "$libs" | tr ' ' '\n' | sort -u); do
	mkdir -p "$root$(dirname "$l")"
	cp -L "$l" "$root$l"
done
for m in xen-blkfront xen-netfront; do
	sh "$here/getmodule.sh" "$kver" "$m" "$root/lib/modules/$m.ko"
done
cp "$here/linux-guest-init" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | sort | cpio -o -H newc --quiet) | gzip -1 > "$dir/initrd.gz"
cp "/boot/vmlinuz-$kver" "$dir/vmlinuz"
rm -rf "$root"
