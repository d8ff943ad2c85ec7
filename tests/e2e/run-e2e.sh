#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
# Runs the e2e configurations under QEMU on the build host and prints their result lines.
#
# End-to-end test on real Xen: boot Xen 4.17 + a Debian dom0 kernel under
# QEMU (TCG, no KVM needed) with a generated initramfs, run
# tests/e2e/scenario.sh inside dom0 and collect its results from the serial
# console.  One boot per configuration:
#
#   stock   Debian's hypervisor and tools exactly as packaged.  XFAIL and
#           SKIP lines record what stock Xen cannot do and count as passed;
#           an XPASS is a failure (the baseline needs updating).
#   plugin  the self-built hypervisor (CONFIG_SHADOW_PAGING=y) and
#           xenstored/libxl/xl with the project's patch series
#           (scripts/build-dom0), libxsmigrate.so.0 in dom0's system
#           library directory.  Only PASS passes: XFAIL, XPASS, SKIP and a
#           missing required line are failures.
#   twohost two machines as plugin, one QEMU socket network between them
#           (127.0.0.1 only), a and b; the non-cooperative PVH guest moves
#           a -> b -> a with xl migrate.  Counted as plugin.
#
# Prints every line as "<config>: PASS|FAIL|XFAIL|XPASS|SKIP name[: why]",
# a summary line per configuration, and ends with "N passed, N failed".
# Exit status is non-zero if anything failed.
#
# Environment (all optional):
#   E2E_CONFIGS       configurations to run, in order   ("stock plugin twohost")
#   E2E_OUT           output directory                   (build/e2e)
#   E2E_GUESTS        directory of test guests           (build/xtf-tests)
#   E2E_PROJECT_BUILD project build dir copied in        (build)
#   E2E_DOM0          scripts/build-dom0 output (plugin) (build/dom0)
#   E2E_FORGE         forge-record binary (plugin)       (E2E_OUT/forge-record)
#   E2E_TXNHOLD       xs-txn-hold binary (plugin, twohost) (E2E_OUT/xs-txn-hold)
#   E2E_GAPWATCH      gapwatch binary (plugin, twohost)  (E2E_OUT/gapwatch)
#   E2E_BENCH_PAIRS   rounds of moves of the bench group (make bench-e2e) (5)
#   E2E_DOM0_ALT      plugin: a second scripts/build-dom0 tools output whose
#                     libxenlight the bench group measures too (none)
#   E2E_COUNTS        also write "<passed> <failed>" here (all configurations)
#   E2E_TIMEOUT       wall-clock limit for QEMU per configuration, s
#                     (stock 300, plugin 1800, twohost 1200 for both)
#   E2E_INNER_TIMEOUT limit for the scenario inside dom0, s (E2E_TIMEOUT-45)
#   E2E_BOOT_LIMIT    every machine's dom0 must reach /init within this, or
#                     the configuration's machines are booted again once, s
#                     (150)
#   E2E_XENSTORED     the dom0 daemon, xenstored or oxenstored (E2E_DOM0/
#                     ox-root, scripts/build-dom0 oxenstored); with
#                     oxenstored, plugin's lines are named ox-<name> and
#                     twohost's b runs it, a C xenstored  (xenstored)
#   E2E_ONLY          a developer's partial run: only these groups of
#                     checks (comma-separated, e.g. xs,dev; docs/e2e.md);
#                     the required lines are then not asked for
#   E2E_KVER          dom0 kernel version                (newest in /boot)
#   E2E_XEN           stock hypervisor (gzipped)         (/boot/xen-4.17-amd64.gz)
set -u

top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/e2e
# poll
# shellcheck source-path=SCRIPTDIR source=e2e-lib.sh
. "$here/e2e-lib.sh"
outtop=${E2E_OUT:-$top/build/e2e}
guests=${E2E_GUESTS:-$top/build/xtf-tests}
projbuild=${E2E_PROJECT_BUILD:-$top/build}
dom0=${E2E_DOM0:-$top/build/dom0}
configs=${E2E_CONFIGS:-stock plugin twohost}
boot_limit=${E2E_BOOT_LIMIT:-150}
kver=${E2E_KVER:-$(for k in /boot/vmlinuz-*; do echo "${k#/boot/vmlinuz-}"; done | grep -v '^\*$' | sort -V | tail -n1)}
export E2E_FORGE="${E2E_FORGE:-$outtop/forge-record}"
export E2E_TXNHOLD="${E2E_TXNHOLD:-$outtop/xs-txn-hold}"
export E2E_GAPWATCH="${E2E_GAPWATCH:-$outtop/gapwatch}"

# Lines each configuration must print (as PASS in plugin; PASS or XFAIL in
# stock).  A missing one is a failure: a check that never ran proves nothing.
required_stock="smoke-verdict mig-save-txn-eagain mig-save-nodes mig-save-perms mig-save-watch
 nc-nomove nc-save-txn-eagain nc-save-nodes nc-save-perms nc-save-watch
 nc-save-partial-request nc-save-domid-port"
required_plugin="smoke-verdict
 xs-save-txn-eagain xs-save-nodes xs-save-perms xs-save-watch
 xs-migrate-txn-eagain xs-migrate-nodes xs-migrate-perms xs-migrate-watch
 xs-localmigrate-x5 xs-live-event xs-receiver-refuses xs-forged-record-refused
 xs-ring-fresh
 xs-quiesce-marker-held-refused xs-quiesce-marker-kept
 xs-record-domid0-refused xs-record-reserved-domid-refused xs-record-before-libxc-refused
 xs-linux-guest xs-leak-check
 nc-save-txn-eagain nc-save-nodes nc-save-perms nc-save-watch
 nc-save-partial-request nc-save-domid-port nc-pv-refused
 nc-save-domid-taken-refused nc-save-suspended-by-toolstack nc-pvdevice-refused
 dev-pv-save-control dev-pv-migrate-control dev-pvh-save-control dev-pvh-migrate-control
 dev-pv-save-states dev-pv-save-disk dev-pv-save-net
 dev-pv-migrate-states dev-pv-migrate-disk dev-pv-migrate-net
 dev-pvh-save-states dev-pvh-save-disk dev-pvh-save-net
 dev-pvh-migrate-states dev-pvh-migrate-disk dev-pvh-migrate-net
 linux-save-watch linux-save-txn-eagain linux-migrate-watch linux-migrate-txn-eagain
 osstest-localmigrate-x10 osstest-saverestore-x10 osstest-leak-check"
required_twohost="a-smoke-verdict b-smoke-verdict twohost-net-a twohost-net-b
 twohost-pv-migrate twohost-pv-migrate-back
 nc-migrate-txn-eagain nc-migrate-nodes nc-migrate-perms nc-migrate-watch
 nc-migrate-partial-request nc-migrate-domid-port nc-migrate-back
 dev-pvh-twohost-states dev-pvh-twohost-disk dev-pvh-twohost-net"

# QEMU's -initrd separates multiboot modules with commas; one on the
# kernel's command line (E2E_ONLY=xs,dev) is written twice.
only_arg=${E2E_ONLY:+ e2e.only=$(echo "$E2E_ONLY" | sed 's/,/,,/g')}
# E2E_XENSTORED=oxenstored: the plugin machine runs oxenstored (ox_single,
# its lines ox-<name>); in twohost, b does and a keeps C xenstored (ox_b,
# ox_a), and the moves are named for the daemons they cross.
export E2E_XENSTORED="${E2E_XENSTORED:-xenstored}"
ox_single="" ox_a="" ox_b=""
case $E2E_XENSTORED in
xenstored) ;;
oxenstored)
	ox_single=" e2e.xenstored=ox" ox_a=" e2e.mixed=ox" ox_b=" e2e.mixed=ox e2e.xenstored=ox"
	# scenario-plugin.sh: no PVH device guest and no x10 with oxenstored
	required_plugin=$(for n in $required_plugin; do
		case $n in dev-pvh-*|nc-pvdevice-refused|osstest-*-x10) ;; *) echo "ox-$n";; esac
	done)
	required_twohost="a-smoke-verdict b-ox-smoke-verdict twohost-net-a twohost-net-b
	 twohost-c-to-ox twohost-ox-to-c
	 twohost-c-to-ox-nc-txn-eagain twohost-c-to-ox-nc-nodes twohost-c-to-ox-nc-perms
	 twohost-c-to-ox-nc-watch twohost-c-to-ox-nc-partial-request
	 twohost-c-to-ox-nc-domid-port twohost-ox-to-c-nc
	 twohost-c-to-ox-pvh-states twohost-c-to-ox-pvh-disk twohost-c-to-ox-pvh-net
	 twohost-ox-to-c-pvh-states twohost-ox-to-c-pvh-disk twohost-ox-to-c-pvh-net"
	;;
*) echo "run-e2e: E2E_XENSTORED is xenstored or oxenstored" >&2; exit 2;;
esac

mkdir -p "$outtop"
all=$outtop/results.txt
summary=$outtop/summary.txt
: > "$all"
: > "$summary"

# run_config CONFIG: boot it, write $outtop/CONFIG/results.txt
run_config() {
	c=$1 out=$outtop/$1
	mkdir -p "$out"
	log=$out/serial.log results=$out/results.txt
	: > "$results"
	: > "$log"
	setup_fail() { echo "FAIL e2e-setup: $1" >> "$results"; }

	case $c in
	stock)  xen=${E2E_XEN:-/boot/xen-4.17-amd64.gz} tmo=${E2E_TIMEOUT:-300};;
	plugin) xen=$dom0/xen.gz tmo=${E2E_TIMEOUT:-1800};;
	twohost) xen=$dom0/xen.gz tmo=${E2E_TIMEOUT:-1200};;
	*) setup_fail "unknown configuration '$c'"; return;;
	esac
	if [ -z "$kver" ] || [ ! -f "/boot/vmlinuz-$kver" ]; then
		setup_fail "no dom0 kernel in /boot"; return
	fi
	[ -f "$xen" ] || { setup_fail "no Xen image $xen"; return; }
	command -v qemu-system-x86_64 >/dev/null || { setup_fail "qemu-system-x86_64 missing"; return; }

	zcat "$xen" > "$out/xen" || { setup_fail "cannot unpack $xen"; return; }
	sh "$here/mkinitramfs.sh" "$out/dom0.cpio.gz" "$kver" "$guests" "$projbuild" "$c" "$dom0" \
		> "$out/mkinitramfs.log" 2>&1 ||
		{ setup_fail "initramfs build failed: $(tail -n 3 "$out/mkinitramfs.log" | tr '\n' ' ')"; return; }

	# The scenario inside dom0 gets less time than QEMU so that it can
	# still report and power off; QEMU itself is killed by timeout(1).
	inner=${E2E_INNER_TIMEOUT:-$((tmo - 45))}
	[ "$inner" -ge 10 ] || inner=$((tmo / 2))
	start=$(date +%s)
	if [ "$c" != twohost ]; then
		boot_config start_single
		collect "$log" "$out/e2e-lines.txt" "$(rc_of single)" ""
	elif boot_config start_twohost; then
		for h in a b; do
			collect "$out/serial-$h.log" "$out/e2e-lines-$h.txt" "$(rc_of $h)" $h
			# time(1) writes "Command exited with non-zero status N" first.
			[ -f "$out/$h.cpu" ] && IFS=: read -r e u s <<EOF &&
$(tail -n 1 "$out/$h.cpu")
EOF
				echo "# $c: INFO host $h: QEMU wall ${e}s, CPU ${u}s user + ${s}s system"
		done
		cat "$out/serial-a.log" "$out/serial-b.log" > "$log"
	fi
	echo "$(( $(date +%s) - start ))" > "$out/time"
}

# machine LOG MEM CPUS CMDLINE [QEMU-ARG...]: one e2e machine in the
# background, its pid in $qpid: Xen on com1 (dom0 gets half of MEM MiB),
# the dom0 kernel (CMDLINE appended to its command line, as is the
# scenario's time, $inner) and initramfs as multiboot modules, QEMU-ARGs
# for its network; bounded by timeout(1) with what is left of the
# configuration's time ($left).  With $cpu_log set, its wall and CPU
# time go there (/usr/bin/time).
machine() {
	_mlog=$1 _mmem=$2 _mcpus=$3 _mcmd=$4
	shift 4
	# +npt: Xen sees HAP only with it, and PVH guests need HAP.
	set -- qemu-system-x86_64 \
		-machine pc -accel tcg -cpu qemu64,+svm,+npt -m "$_mmem" -smp "$_mcpus" \
		-nographic -no-reboot -monitor none -serial stdio "$@" \
		-kernel "$out/xen" \
		-append "console=com1 com1=115200,8n1 dom0_mem=$((_mmem / 2))M,max:$((_mmem / 2))M loglvl=all guest_loglvl=all" \
		-initrd "/boot/vmlinuz-$kver console=hvc0 quiet e2e.timeout=$inner$_mcmd$only_arg,$out/dom0.cpio.gz"
	if [ -n "${cpu_log:-}" ] && [ -x /usr/bin/time ]; then
		set -- /usr/bin/time -f %e:%U:%S -o "$cpu_log" "$@"
	fi
	: > "$_mlog"
	# timeout(1) outermost: killing $qpid ends the whole process group.
	timeout -k 10 "$left" "$@" < /dev/null > "$_mlog" 2>&1 &
	qpid=$!
}

# start_single: the stock or plugin machine (1 vCPU, 2 GiB); sets
# machines.  One vCPU, as the twohost machines: with two, the PVH Linux
# guest ran now and then with state that was not its own (docs/e2e.md).
start_single() {
	cpu_log=""
	machine "$log" 2048 1 "${E2E_BENCH_PAIRS:+ e2e.pairs=$E2E_BENCH_PAIRS}$ox_single" -net none
	machines="single:$qpid"
}

# boot_config START: START boots the configuration's machines with
# $left seconds (and sets machines: "ROLE:PID" words); waits for them
# and keeps each QEMU's exit status for rc_of.  A boot in which some
# machine's dom0 never reaches /init within $boot_limit (seen once in CI:
# the dom0 kernel stopped after PCI enumeration under nested TCG, the same
# images booting fine before and after) is ended and done again, once, in
# what is left of the configuration's time; the first serial logs are
# kept as LOG-attempt1.log.  1 if START failed (it said why).
boot_config() {
	attempt=1 left=$tmo
	while :; do
		t0=$(date +%s)
		"$1" || return 1
		if poll "$boot_limit" 1 all_booted || [ $attempt -ge 2 ]; then
			break
		fi
		for _m in $machines; do kill "${_m#*:}" 2>/dev/null; done
		_kept=""
		for _m in $machines; do
			wait "${_m#*:}"
			_l=$(serial_log "${_m%%:*}")
			cp "$_l" "${_l%.log}-attempt$attempt.log"
			_kept="$_kept ${_l%.log}-attempt$attempt.log"
		done
		left=$((left - ($(date +%s) - t0)))
		echo "# $c: INFO dom0 did not reach /init in ${boot_limit}s (serial log in$_kept); booting again with ${left}s left"
		attempt=$((attempt + 1))
		inner=$((left - 45))
		[ "$inner" -ge 10 ] || inner=$((left / 2))
	done
	rcs=""
	for _m in $machines; do
		wait "${_m#*:}"
		rcs="$rcs ${_m%%:*}:$?"
	done
}

# rc_of ROLE: the exit status of machine ROLE's QEMU (boot_config)
rc_of() {
	for _r in $rcs; do
		[ "${_r%%:*}" = "$1" ] && echo "${_r#*:}"
	done
}

# serial_log ROLE: the serial log of the machine ROLE (single, a, b)
serial_log() {
	case $1 in
	single) echo "$log";;
	*) echo "$out/serial-$1.log";;
	esac
}

# all_booted: every machine's dom0 said BOOTED or its QEMU ended (its own
# result then says what happened)
all_booted() {
	for _m in $machines; do
		grep -aq 'E2E: BOOTED' "$(serial_log "${_m%%:*}")" || ! kill -0 "${_m#*:}" 2>/dev/null ||
			return 1
	done
}

# collect LOG LINES QEMU-RC HOST: LOG's result lines into $results (the
# E2E: lines into LINES), INFO lines to stdout; HOST (twohost) goes in front
# of every name but nc-*, twohost-* and dev-*, and of the e2e-* failures
collect() {
	# Result lines may be preceded by other console output on the same line.
	grep -a -o 'E2E: .*' "$1" | tr -d '\r' | sed 's/^E2E: //' > "$2"
	pfx=${4:+$4-}
	{
		grep -E '^(PASS|FAIL|XFAIL|XPASS|SKIP) ' "$2"
		grep -q '^BOOTED ' "$2" ||
			echo "FAIL e2e-boot: dom0 never reached /init (qemu rc=$3, see $1)"
		if ! grep -q '^DONE' "$2"; then
			if [ "$3" -eq 124 ] || [ "$3" -eq 137 ]; then
				echo "FAIL e2e-complete: killed after ${tmo}s timeout, serial log kept in $1"
			else
				echo "FAIL e2e-complete: run ended without DONE (qemu rc=$3), serial log kept in $1"
			fi
		fi
		grep -q '^SCENARIO-EXIT' "$2" &&
			echo "FAIL e2e-scenario: $(grep '^SCENARIO-EXIT' "$2" | head -n1) (143 = scenario timeout)"
	} | sed -E "s/^([A-Z]+) /\1 $pfx/; s/^([A-Z]+) $pfx(nc-|twohost-|dev-)/\1 \2/" >> "$results"
	grep -E '^INFO ' "$2" | sed "s/^/# $c: ${4:+$4: }/"
}

# listening PORT PID: process PID (or one below it: timeout, time, QEMU)
# listens on 127.0.0.1:PORT, by ss -p (iproute2); without ss, PID still
# running 2 s after its start (QEMU binds its port or dies at once).
# Counts its calls in _ltries.
listening() {
	_ltries=$((_ltries + 1))
	command -v ss >/dev/null || { [ "$_ltries" -ge 9 ] && kill -0 "$2" 2>/dev/null; return; }
	for _q in $(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2); do
		for _l in 0 1 2 3; do
			[ "$_q" = "$2" ] && return 0
			_q=$(awk '/^PPid:/ {print $2}' "/proc/$_q/status" 2>/dev/null)
			[ -n "$_q" ] || break
		done
	done
	return 1
}

# listening_or_gone PORT PID: listening, or PID ended
listening_or_gone() { listening "$1" "$2" || ! kill -0 "$2" 2>/dev/null; }

# free_port: a TCP port nothing listens on, from 20000-59999 at random
free_port() {
	for _i in 1 2 3 4 5 6 7 8; do
		_p=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
		ss -Hltn "sport = :$_p" 2>/dev/null | grep -q . || { echo $_p; return 0; }
	done
	return 1
}

# twohost_machine ROLE NETDEV: one twohost machine (1 vCPU and 1 GiB each,
# so that the two share the build machine's two cores), on QEMU's socket
# network NETDEV; wall and CPU time into $out/ROLE.cpu
twohost_machine() {
	cpu_log=$out/$1.cpu
	case $1 in a) _tox=$ox_a;; *) _tox=$ox_b;; esac
	machine "$out/serial-$1.log" 1024 1 " e2e.role=$1$_tox" \
		-netdev "socket,id=n0,$2" -device "e1000,netdev=n0,mac=52:54:00:e2:e0:0$1"
}

# start_twohost: host a listens on 127.0.0.1:PORT, host b connects to it;
# a port someone took between the check and a's bind is tried again.
# Sets machines, or says why not (1)
start_twohost() {
	port="" try=0
	while [ -z "$port" ] && [ $try -lt 3 ]; do
		try=$((try + 1))
		p=$(free_port) || { setup_fail "no free TCP port on 127.0.0.1 found (ss)"; return 1; }
		twohost_machine a "listen=127.0.0.1:$p"; pa=$qpid
		_ltries=0
		poll 40 0.25 listening_or_gone "$p" "$pa" && kill -0 "$pa" 2>/dev/null && port=$p
		[ -n "$port" ] && break
		kill "$pa" 2>/dev/null; wait "$pa"
		grep -q 'in use' "$out/serial-a.log" ||
			{ setup_fail "host a did not listen on 127.0.0.1:$p: $(head -c 300 "$out/serial-a.log" | tr '\n' ' ')"; return 1; }
		echo "# $c: INFO 127.0.0.1:$p was taken, trying another port"
	done
	[ -n "$port" ] || { setup_fail "127.0.0.1: three ports taken in a row"; return 1; }
	echo "# $c: INFO network: QEMU socket netdev, a listens on 127.0.0.1:$port, b connects"
	twohost_machine b "connect=127.0.0.1:$port"; pb=$qpid
	machines="a:$pa b:$pb"
}

# missing CONFIG: a FAIL line for each required line the run did not print
missing() {
	case $1 in
	stock) req=$required_stock;;
	plugin) req=$required_plugin;;
	twohost) req=$required_twohost;;
	*) req="";;
	esac
	for n in $req; do
		grep -qE "^[A-Z]+ $n(:|\$)" "$outtop/$1/results.txt" ||
			echo "FAIL $n: no result line (the run never got there)"
	done
}

# count CONFIG KIND...: how many lines of these kinds
count() {
	c=$1; shift
	k=$(echo "$*" | tr ' ' '|')
	grep -cE "^($k) " "$outtop/$c/results.txt"
}

for c in $configs; do
	run_config "$c"
	[ -n "${E2E_ONLY:-}" ] || missing "$c" >> "$outtop/$c/results.txt"
	if [ "$c" != stock ]; then
		p=$(count "$c" PASS) f=$(count "$c" FAIL XPASS XFAIL SKIP)
	else
		p=$(count "$c" PASS XFAIL SKIP) f=$(count "$c" FAIL XPASS)
	fi
	sed "s/^/$c: /" "$outtop/$c/results.txt" | tee -a "$all"
	echo "e2e $c: $p passed, $f failed ($(count "$c" PASS) PASS, $(count "$c" XFAIL) XFAIL, $(count "$c" SKIP) SKIP, $(count "$c" FAIL) FAIL, $(count "$c" XPASS) XPASS); run $(cat "$outtop/$c/time" 2>/dev/null || echo 0)s${E2E_ONLY:+, partial run: E2E_ONLY=$E2E_ONLY}, serial log $outtop/$c/serial.log" >> "$summary"
	echo "$p $f" > "$outtop/$c/counts"
done

cat "$summary"
p=0 f=0
for c in $configs; do
	read -r cp cf < "$outtop/$c/counts"
	p=$((p + cp)) f=$((f + cf))
done
echo "$p passed, $f failed"
if [ -n "${E2E_COUNTS:-}" ]; then
	mkdir -p "$(dirname "$E2E_COUNTS")"
	echo "$p $f" > "$E2E_COUNTS"
fi
[ "$f" -eq 0 ]
