#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
# Builds the e2e dom0 initramfs (Xen tools, libraries, modules, scenario scripts, guests).
#
# Build the dom0 initramfs for the e2e run from the packages installed on
# this machine (busybox-static, xen-utils-4.17, xenstore-utils,
# linux-image-amd64) plus the project's build outputs when present.
#
# Usage: mkinitramfs.sh OUT.cpio.gz KVER GUEST-DIR [PROJECT-BUILD-DIR
#                       [CONFIG [DOM0-DIR]]]
#
# CONFIG stock (default): Debian's Xen tools exactly as packaged; the
#   project's library and CLI sit in /xsm (unused by Debian's libxl).
# CONFIG plugin: DOM0-DIR/root (scripts/build-dom0 tools) replaces xl,
#   xenstored, libxl-save-helper and the Xen libraries, libxsmigrate.so.0
#   goes where libxl's dlopen() finds it (the system library directory: no
#   LD_LIBRARY_PATH), and a Linux guest (this kernel + a busybox
#   initramfs, mklinuxguest.sh) is added under /e2e/linux, with the
#   device guests' hotplug scripts /e2e/block-e2e and /e2e/vif-e2e.
# CONFIG twohost: the plugin's dom0 tools and Linux guest, plus the e1000
#   NIC driver from this kernel's modules and the two-host transport
#   (th-connect, th-receive, th-mailbox); one image serves both machines,
#   e2e.role=a|b on the kernel command line picks the role.
set -eu

out=$1 kver=$2 guests=$3 projbuild=${4:-} config=${5:-stock} dom0=${6:-}
here=$(cd "$(dirname "$0")" && pwd)
xenbin=/usr/lib/xen-4.17/bin

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

# plugin: the self-built tools, and the libraries ldd finds for them.
overlay=""
if [ "$config" = plugin ] || [ "$config" = twohost ]; then
	overlay=$dom0/root
	[ -x "$overlay/usr/lib/xen-4.17/bin/xl" ] ||
		{ echo "mkinitramfs: no self-built dom0 tools in $overlay (scripts/build-dom0 tools)" >&2; exit 1; }
	ls "$projbuild"/lib/libxsmigrate.so.0 >/dev/null 2>&1 ||
		{ echo "mkinitramfs: no $projbuild/lib/libxsmigrate.so.0" >&2; exit 1; }
	# The libraries too: the self-built libxenlight needs what configure
	# found here (libnl3...), which ldd of xl against Debian's would miss.
	for b in "$overlay"/usr/lib/xen-4.17/bin/* "$overlay"/usr/lib/x86_64-linux-gnu/*.so.*.* \
		 "$projbuild"/lib/libxsmigrate.so.0; do
		bins="$bins $b"; done
fi
# E2E_XENSTORED=oxenstored (plugin, twohost): oxenstored of
# scripts/build-dom0 oxenstored too, with its configuration; the scenario
# starts it where the kernel's command line says so.
ox=""
if [ "$config" != stock ] && [ "${E2E_XENSTORED:-xenstored}" = oxenstored ]; then
	ox=$dom0/ox-root
	[ -x "$ox/usr/lib/xen-4.17/bin/oxenstored" ] ||
		{ echo "mkinitramfs: no oxenstored in $ox (scripts/build-dom0 oxenstored)" >&2; exit 1; }
	bins="$bins $ox/usr/lib/xen-4.17/bin/oxenstored"
fi

# Project build outputs when present: the shared library into /xsm/lib
# (stock) or the system library directory (plugin), the CLI into /xsm/bin.
# /init puts /xsm first in PATH / LD_LIBRARY_PATH.
if [ -n "$projbuild" ]; then
	if [ "$config" != plugin ] && ls "$projbuild"/lib/*.so* >/dev/null 2>&1; then
		mkdir -p "$root/xsm/lib"
		cp -a "$projbuild"/lib/*.so* "$root/xsm/lib/"
		for b in "$root"/xsm/lib/*.so*; do
			[ -f "$b" ] && [ ! -L "$b" ] && bins="$bins $b"; done
	fi
	for b in "$projbuild"/bin/xsmigrate*; do
		{ [ -f "$b" ] && [ -x "$b" ]; } || continue
		mkdir -p "$root/xsm/bin"
		cp "$b" "$root/xsm/bin/"
		bins="$bins $b"
	done
fi

# Shared libraries: whatever ldd says, recursively (ldd already is).
for b in $bins; do
	LD_LIBRARY_PATH=${overlay:+$overlay/usr/lib/x86_64-linux-gnu} \
	ldd "$b" 2>/dev/null | awk '/=> \//{print $3} /^\t\/[^ ]+ \(/{print $1}'
done | sort -u > "$root.libs"
# glibc dlopen()s libgcc_s for pthread_cancel (xl uses it); ldd can't see it.
f=$(ldconfig -p | awk '$1 == "libgcc_s.so.1" && /x86-64/ {print $NF; exit}')
[ -n "$f" ] && echo "$f" >> "$root.libs"
sort -u "$root.libs" | while read -r lib; do
	case $lib in */xsm/*|"$root"*|"${overlay:-/nonexistent}"*) continue;; esac
	mkdir -p "$root$(dirname "$lib")"
	cp -L "$lib" "$root$lib"
done
# Debian is merged-/usr: make /usr/lib the same as /lib.
[ -d "$root/usr/lib/x86_64-linux-gnu" ] && cp -a "$root"/usr/lib/x86_64-linux-gnu/. "$root"/lib/x86_64-linux-gnu/ && rm -rf "$root/usr/lib/x86_64-linux-gnu"
ln -s ../../lib/x86_64-linux-gnu "$root/usr/lib/x86_64-linux-gnu"

if [ -n "$overlay" ]; then
	cp -a "$overlay"/usr/lib/xen-4.17/bin/. "$root/usr/lib/xen-4.17/bin/"
	cp -a "$overlay"/usr/lib/x86_64-linux-gnu/. "$root/lib/x86_64-linux-gnu/"
	cp -a "$projbuild"/lib/libxsmigrate.so* "$root/lib/x86_64-linux-gnu/"
	rm -f "$root/lib/x86_64-linux-gnu/libxsmigrate.so"
fi
if [ -n "$ox" ]; then
	cp "$ox/usr/lib/xen-4.17/bin/oxenstored" "$root/usr/lib/xen-4.17/bin/"
	cp "$ox/etc/xen/oxenstored.conf" "$root/etc/xen/"
fi
if [ "$config" = twohost ]; then
	for f in th-connect th-receive th-mailbox; do
		cp "$here/$f" "$root/e2e/$f"; chmod +x "$root/e2e/$f"; done
fi
if [ "$config" = plugin ] || [ "$config" = twohost ]; then
	# The Linux guest (PV and PVH): the same kernel, busybox,
	# xenstore-utils, the PV frontends and xs-txn-hold; the device guests'
	# minimal hotplug scripts.
	sh "$here/mklinuxguest.sh" "$root/e2e/linux" "$kver" \
		"${E2E_TXNHOLD:?E2E_TXNHOLD: the xs-txn-hold binary}" \
		"${E2E_GAPWATCH:?E2E_GAPWATCH: the gapwatch binary}"
	for f in block-e2e vif-e2e; do
		cp "$here/$f" "$root/e2e/$f"; chmod +x "$root/e2e/$f"; done
fi
if [ "$config" = plugin ]; then
	for f in xl-local xl-local-nolib xl-local-slow xl-local-hold xl-local-late; do
		cp "$here/$f" "$root/e2e/$f"; chmod +x "$root/e2e/$f"; done
	# The forger of xs-forged-record-refused (static, built by e2e.mk).
	cp "${E2E_FORGE:?E2E_FORGE: the forge-record binary}" "$root/e2e/forge-record"
	# The bench group's other libxl (E2E_DOM0_ALT), for LD_LIBRARY_PATH.
	if [ -n "${E2E_DOM0_ALT:-}" ]; then
		mkdir -p "$root/e2e/alt"
		cp -a "$E2E_DOM0_ALT"/root/usr/lib/x86_64-linux-gnu/libxenlight.so* "$root/e2e/alt/"
		cat "$E2E_DOM0_ALT/tools.series" > "$root/e2e/alt/series"
	fi
fi

# Kernel modules xl/xenstored need, in load order (privcmd before xenfs);
# plugin and twohost: the device guests' backends (xen-blkback, xen-netback
# and loop for their disk); twohost: the NIC driver too (QEMU's e1000).
mods="xen-privcmd xenfs xen-evtchn xen-gntdev xen-gntalloc"
case $config in plugin|twohost) mods="$mods xen-blkback xen-netback loop";; esac
[ "$config" = twohost ] && mods="$mods e1000"
for m in $mods; do
	sh "$here/getmodule.sh" "$kver" "$m" "$root/lib/modules/$m.ko"
done

cp /etc/xen/xl.conf "$root/etc/xen/" 2>/dev/null || :
echo "root:x:0:0:root:/root:/bin/sh" > "$root/etc/passwd"
echo "root:x:0:" > "$root/etc/group"

cp "$here/init" "$root/init"
echo "$config" > "$root/e2e/config"
cp "$here"/scenario*.sh "$here/nc-lib.sh" "$here/e2e-lib.sh" "$here/devguest.sh" \
	"$here/record.sh" "$here/osstest.sh" "$here/bench-downtime.sh" "$root/e2e/"
chmod +x "$root/init" "$root/e2e/scenario.sh"
[ -d "$guests" ] && for g in "$guests"/*; do
	[ -f "$g" ] && cp "$g" "$root/e2e/guests/"; done

rm -f "$root.libs"
(cd "$root" && find . | sort | cpio -o -H newc --quiet) | gzip -1 > "$out"
