#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
# Copies one kernel module, uncompressed, into the e2e initramfs.
#
# Usage: getmodule.sh KVER NAME OUT.ko
# Copies kernel module NAME of KVER (/lib/modules/KVER/kernel, compressed
# or not) to OUT.ko, uncompressed: the e2e initramfs' busybox insmod loads
# plain .ko files only.  None of the modules the e2e uses has dependencies.
set -eu

kver=$1 m=$2 out=$3
f=$(find "/lib/modules/$kver/kernel" \( -name "$m.ko" -o -name "$m.ko.xz" -o -name "$m.ko.zst" \) | head -n1)
[ -n "$f" ] || { echo "getmodule: module $m not found under /lib/modules/$kver/kernel" >&2; exit 1; }
case $f in
*.ko.xz)  xz -dc "$f" > "$out";;
*.ko.zst) zstd -dcq "$f" > "$out";;
*)        cp "$f" "$out";;
esac
