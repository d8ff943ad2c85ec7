#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
# End-to-end test on real Xen: boot Xen 4.17 + a Debian dom0 kernel under
# QEMU (TCG, no KVM needed) with a generated initramfs, run
# tests/e2e/scenario.sh inside dom0 and collect its results from the serial
# console.
#
# Prints one line per check (PASS / FAIL / XFAIL / XPASS) and ends with
# "N passed, N failed".  XFAIL counts as passed, XPASS as failed.
# Exit status is non-zero if anything failed.
#
# Environment (all optional):
#   E2E_OUT           output directory             (build/e2e)
#   E2E_GUESTS        directory of test guests     (build/xtf-tests)
#   E2E_PROJECT_BUILD project build dir copied in  (build)
#   E2E_COUNTS        also write "<passed> <failed>" here
#   E2E_TIMEOUT       wall-clock limit for QEMU, s (540)
#   E2E_INNER_TIMEOUT limit for the scenario inside dom0, s (E2E_TIMEOUT-60)
#   E2E_KVER          dom0 kernel version          (newest in /boot)
#   E2E_XEN           gzipped Xen image            (/boot/xen-4.17-amd64.gz)
#   E2E_EXPECT_MIGRATE fail|pass: expected xenstore-migrate outcome ("fail"
#                     with stock tools; "pass" once the plugin is in dom0;
#                     "auto" picks pass when build/lib has the plugin)
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/e2e
out=${E2E_OUT:-$top/build/e2e}
guests=${E2E_GUESTS:-$top/build/xtf-tests}
projbuild=${E2E_PROJECT_BUILD:-$top/build}
tmo=${E2E_TIMEOUT:-540}
xen=${E2E_XEN:-/boot/xen-4.17-amd64.gz}
expect=${E2E_EXPECT_MIGRATE:-fail}
kver=${E2E_KVER:-$(ls /boot/vmlinuz-* 2>/dev/null | sed 's|.*/vmlinuz-||' | sort -V | tail -n1)}

mkdir -p "$out"
log=$out/serial.log
results=$out/results.txt
: > "$results"

counts() {
	p=$(grep -cE '^(PASS|XFAIL) ' "$results")
	f=$(grep -cE '^(FAIL|XPASS) ' "$results")
	echo "$p passed, $f failed"
	[ -n "${E2E_COUNTS:-}" ] && { mkdir -p "$(dirname "$E2E_COUNTS")"; echo "$p $f" > "$E2E_COUNTS"; }
	[ "$f" -eq 0 ]
}
die() { echo "FAIL $1: $2" | tee -a "$results"; counts; exit 1; }

[ -n "$kver" ] && [ -f "/boot/vmlinuz-$kver" ] || die e2e-setup "no dom0 kernel in /boot"
[ -f "$xen" ] || die e2e-setup "no Xen image $xen (install xen-hypervisor-4.17-amd64)"
command -v qemu-system-x86_64 >/dev/null || die e2e-setup "qemu-system-x86_64 missing"

if [ "$expect" = auto ]; then
	expect=fail
	ls "$projbuild"/lib/*libxl* >/dev/null 2>&1 && expect=pass
fi

zcat "$xen" > "$out/xen" || die e2e-setup "cannot unpack $xen"
sh "$here/mkinitramfs.sh" "$out/dom0.cpio.gz" "$kver" "$guests" "$projbuild" \
	> "$out/mkinitramfs.log" 2>&1 ||
	die e2e-setup "initramfs build failed: $(tail -n 3 "$out/mkinitramfs.log" | tr '\n' ' ')"

# The scenario inside dom0 gets less time than QEMU so that it can still
# report and power off; QEMU itself is killed by timeout(1) regardless.
inner=${E2E_INNER_TIMEOUT:-$((tmo - 60))}
[ "$inner" -ge 10 ] || inner=$((tmo / 2))
start=$(date +%s)
timeout -k 10 "$tmo" qemu-system-x86_64 \
	-machine pc -accel tcg -cpu qemu64,+svm -m 2048 -smp 2 \
	-nographic -no-reboot -monitor none -serial stdio -net none \
	-kernel "$out/xen" \
	-append "console=com1 com1=115200,8n1 dom0_mem=1024M,max:1024M loglvl=all guest_loglvl=all" \
	-initrd "/boot/vmlinuz-$kver console=hvc0 quiet e2e.timeout=$inner e2e.expect_migrate=$expect,$out/dom0.cpio.gz" \
	< /dev/null > "$log" 2>&1
rc=$?
end=$(date +%s)

# Result lines may be preceded by other console output on the same line.
grep -a -o 'E2E: .*' "$log" | tr -d '\r' | sed 's/^E2E: //' > "$out/e2e-lines.txt"
grep -E '^(PASS|FAIL|XFAIL|XPASS) ' "$out/e2e-lines.txt" >> "$results"
grep -E '^INFO ' "$out/e2e-lines.txt" | sed 's/^/# /'

grep -q '^BOOTED ' "$out/e2e-lines.txt" ||
	echo "FAIL e2e-boot: dom0 never reached /init (qemu rc=$rc, see $log)" >> "$results"
if ! grep -q '^DONE' "$out/e2e-lines.txt"; then
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		echo "FAIL e2e-complete: killed after ${tmo}s timeout, serial log kept in $log" >> "$results"
	else
		echo "FAIL e2e-complete: run ended without DONE (qemu rc=$rc), serial log kept in $log" >> "$results"
	fi
fi
grep -q '^SCENARIO-EXIT' "$out/e2e-lines.txt" &&
	echo "FAIL e2e-scenario: $(grep '^SCENARIO-EXIT' "$out/e2e-lines.txt" | head -n1) (143 = scenario timeout)" >> "$results"

cat "$results"
echo "# run time $((end - start))s, serial log: $log"
counts
