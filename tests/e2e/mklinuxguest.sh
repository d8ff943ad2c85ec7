#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
# A Linux PV guest for xs-linux-guest: this machine's kernel and a busybox
# initramfs with xenstore-utils (talking to xenstored through the kernel's
# /dev/xen/xenbus).  Its /init (linux-guest-init) writes data/linux=up and
# echoes every new data/ping to data/pong, so dom0 sees a write made from
# inside the guest.
#
# Usage: mklinuxguest.sh DIR KVER   -> DIR/vmlinuz, DIR/initrd.gz
set -eu

dir=$1 kver=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$dir.root
rm -rf "$root"
mkdir -p "$dir" "$root"/bin "$root"/usr/bin "$root"/proc "$root"/sys "$root"/dev "$root"/tmp
cp /bin/busybox "$root/bin/busybox"
libs=""
for b in xenstore-read xenstore-write; do
	cp "/usr/bin/$b" "$root/usr/bin/$b"
	libs="$libs $(ldd "/usr/bin/$b" | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}')"
done
for l in $(echo "$libs" | tr ' ' '\n' | sort -u); do
	mkdir -p "$root$(dirname "$l")"
	cp -L "$l" "$root$l"
done
cp "$here/linux-guest-init" "$root/init"
chmod +x "$root/init"
(cd "$root" && find . | sort | cpio -o -H newc --quiet) | gzip -1 > "$dir/initrd.gz"
cp "/boot/vmlinuz-$kver" "$dir/vmlinuz"
rm -rf "$root"
