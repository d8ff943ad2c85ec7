#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
# Build the dom0 initramfs for the e2e run from the packages installed on
# this machine (busybox-static, xen-utils-4.17, xenstore-utils,
# linux-image-amd64) plus the project's build outputs when present.
#
# Usage: mkinitramfs.sh OUT.cpio.gz KVER GUEST-DIR [PROJECT-BUILD-DIR]
set -eu

out=$1 kver=$2 guests=$3 projbuild=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
xenbin=/usr/lib/xen-4.17/bin
moddir=/lib/modules/$kver/kernel/drivers/xen

root=$(dirname "$out")/rootfs
rm -rf "$root"
mkdir -p "$root"/bin "$root"/sbin "$root"/usr/bin "$root"/usr/sbin \
	"$root"/lib/x86_64-linux-gnu "$root"/lib64 "$root"/lib/modules \
	"$root"/etc/xen "$root"/proc "$root"/sys "$root"/dev "$root"/run \
	"$root"/tmp "$root"/var/lib/xen "$root"/var/log/xen "$root"/e2e/guests \
	"$root"/usr/lib/xen-4.17/bin

cp /bin/busybox "$root"/bin/busybox
file -L /bin/busybox | grep -q 'statically linked' ||
	{ echo "mkinitramfs: /bin/busybox is not static (install busybox-static)" >&2; exit 1; }

# Xen tools.  The /usr/sbin entries in Debian are a version-selecting
# wrapper script; call the real binaries directly.
bins=""
for b in xl xenstored xenconsoled libxl-save-helper xen-init-dom0 \
	 xenstore-control xenconsole; do
	[ -x "$xenbin/$b" ] || { echo "mkinitramfs: missing $xenbin/$b" >&2; exit 1; }
	cp "$xenbin/$b" "$root/usr/lib/xen-4.17/bin/$b"
	ln -sf "/usr/lib/xen-4.17/bin/$b" "$root/usr/sbin/$b"
	bins="$bins $xenbin/$b"
done
for b in /usr/bin/xenstore /usr/bin/xenstore-*; do
	[ -L "$b" ] && { ln -sf "$(readlink "$b")" "$root$b"; continue; }
	cp "$b" "$root$b"; bins="$bins $b"
done

# Project build outputs when present: the shared library (and with it the
# libxl plugin) into /xsm/lib, the CLI into /xsm/bin.  /init puts them first
# in PATH / LD_LIBRARY_PATH.
if [ -n "$projbuild" ]; then
	if ls "$projbuild"/lib/*.so* >/dev/null 2>&1; then
		mkdir -p "$root/xsm/lib"
		cp -a "$projbuild"/lib/*.so* "$root/xsm/lib/"
		for b in "$root"/xsm/lib/*.so*; do
			[ -f "$b" ] && [ ! -L "$b" ] && bins="$bins $b"; done
	fi
	for b in "$projbuild"/bin/xsmigrate*; do
		[ -f "$b" ] && [ -x "$b" ] || continue
		mkdir -p "$root/xsm/bin"
		cp "$b" "$root/xsm/bin/"
		bins="$bins $b"
	done
fi

# Shared libraries: whatever ldd says, recursively (ldd already is).
for b in $bins; do
	ldd "$b" 2>/dev/null | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}'
done | sort -u > "$root.libs"
# glibc dlopen()s libgcc_s for pthread_cancel (xl uses it); ldd can't see it.
for l in libgcc_s.so.1; do
	f=$(ldconfig -p | awk -v l="$l" '$1 == l && /x86-64/ {print $NF; exit}')
	[ -n "$f" ] && echo "$f" >> "$root.libs"
done
sort -u "$root.libs" | while read -r lib; do
	case $lib in */xsm/*|"$root"*) continue;; esac
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
# Debian is merged-/usr: make /usr/lib the same as /lib.
[ -d "$root/usr/lib/x86_64-linux-gnu" ] && cp -a "$root"/usr/lib/x86_64-linux-gnu/. "$root"/lib/x86_64-linux-gnu/ && rm -rf "$root/usr/lib/x86_64-linux-gnu"
ln -s ../../lib/x86_64-linux-gnu "$root/usr/lib/x86_64-linux-gnu"

# Kernel modules xl/xenstored need, in load order (privcmd before xenfs).
for m in xen-privcmd xenfs xen-evtchn xen-gntdev xen-gntalloc; do
	f=$(find "$moddir" -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" | head -n1)
	[ -n "$f" ] || { echo "mkinitramfs: module $m not found under $moddir" >&2; exit 1; }
	case $f in
	*.ko.xz)  xz -dc "$f" > "$root/lib/modules/$m.ko";;
	*.ko.zst) zstd -dcq "$f" > "$root/lib/modules/$m.ko";;
	*)        cp "$f" "$root/lib/modules/$m.ko";;
	esac
done

cp /etc/xen/xl.conf "$root/etc/xen/" 2>/dev/null || :
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"

cp "$here/init" "$root/init"
cp "$here/scenario.sh" "$root/e2e/scenario.sh"
chmod +x "$root/init" "$root/e2e/scenario.sh"
[ -d "$guests" ] && for g in "$guests"/*; do
	[ -f "$g" ] && cp "$g" "$root/e2e/guests/"; done

rm -f "$root.libs"
(cd "$root" && find . | sort | cpio -o -H newc --quiet) | gzip -1 > "$out"
