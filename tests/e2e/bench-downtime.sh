# shellcheck shell=sh
# SPDX-License-Identifier: LGPL-2.1-only
# The bench group: a move's downtime as the guest sees it (make bench-e2e, BENCH lines).
#
# docs/benchmarks.md: xl migrate to localhost without and with
# --xenstore-state.  Sourced in dom0 by scenario-plugin.sh after
# devguest.sh, only when the run names the group (never in a whole run).
#
# The PV device guest runs gapwatch (tests/e2e/gapwatch.c), which records
# the largest step of its CLOCK_BOOTTIME between two 1 ms wake-ups.  Each
# round is one move of each kind, their order rotating from round to
# round, so that a drift of the machine's load weighs on all alike.  The
# kinds: plain (the baseline), xenstore-state, and, when the initramfs
# has another libxl in /e2e/alt (E2E_DOM0_ALT), xenstore-state-alt: the
# same flag with that libxl (LD_LIBRARY_PATH, the receiver inherits it).
# Prints "E2E: BENCH ..." lines: per move, then min, median and worst of
# each kind, and the ratio and milliseconds each flagged kind adds.

BD_NAME=bench-pv BD_IP=169.254.77.5 BD_DISK=$W/bench-pv.img
BD_PAIRS=$(sed -n 's/.*e2e\.pairs=\([0-9]*\).*/\1/p' /proc/cmdline)
BD_PAIRS=${BD_PAIRS:-5}

bench() { e2e "BENCH $*"; }

# bd_gap: the guest's largest clock step since the last call, in ms with
# one decimal (BOOTTIME, then MONOTONIC); 1 if gapwatch did not answer
bd_gap() {
	gcmd $BD_NAME 30 "kill -USR1 \$(cat /tmp/gap.pid) && sleep 0.3 && tail -n 1 /tmp/gap.log" ||
		return 1
	case $GOUT in
	"gap "*) echo "${GOUT%|}" | awk '{printf "%.1f %.1f\n", $2 / 1000, $3 / 1000}';;
	*) return 1;;
	esac
}

# bd_move KIND FLAG: one xl migrate; appends "KIND ms" to "$W"/bench.gaps
bd_move() {
	bd_gap >/dev/null || { bench "error: gapwatch does not answer before a move: $GOUT"; return 1; }
	_t=$(now)
	devg_move $BD_NAME migrate "$2" || { bench "error: $1 move: $WHY"; return 1; }
	_wall=$(since "$_t")
	_g=$(bd_gap) || { bench "error: gapwatch does not answer after a move: $GOUT"; return 1; }
	echo "$1 ${_g%% *}" >> "$W"/bench.gaps
	# What the guest has left: osstest's x10 saw it lose ~1 MB a move.
	gcmd $BD_NAME 30 "grep MemAvailable /proc/meminfo" || GOUT="unread: $GOUT"
	bench "move $1: guest's largest clock gap ${_g%% *} ms (monotonic ${_g#* } ms), xl migrate ${_wall}s, guest ${GOUT%|}"
}

# bd_stats KIND: "min median worst" of KIND's gaps, ms
bd_stats() {
	awk -v k="$1" '$1 == k {print $2}' "$W"/bench.gaps | sort -n |
		awk '{v[NR] = $1} END {
			if (NR == 0) exit 1
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf "%.1f %.1f %.1f\n", v[1], m, v[NR] }'
}

bench_downtime() {
	step bench_downtime
	: > "$W"/bench.gaps
	# 128 MiB, as osstest's x10 guest: the guest loses ~1 MB a move, with
	# or without the flag, and 96 MiB stopped answering at the 20th.
	_m=$DEVG_MEM DEVG_MEM=128
	if ! devg_disk "$BD_DISK" || ! devg_start $BD_NAME pv $BD_IP "$BD_DISK"; then
		bench "error: ${WHY:-cannot create $BD_DISK}"
	elif ! gcmd $BD_NAME 30 "{ gapwatch >/tmp/gap.log 2>&1 & echo \$! >/tmp/gap.pid; } && sleep 1 && cat /tmp/gap.log"; then
		bench "error: cannot start gapwatch in the guest: $GOUT"
	else
		_kinds="plain xenstore-state"
		if [ -f /e2e/alt/series ]; then
			_kinds="$_kinds xenstore-state-alt"
			bench "xenstore-state-alt: the libxl of E2E_DOM0_ALT, whose series ends with $(grep -v '^#' /e2e/alt/series | tail -n 1)"
		fi
		_nk=$(echo "$_kinds" | wc -w)
		_p=1
		while [ $_p -le "$BD_PAIRS" ]; do
			# This round's order: the kinds rotated by _p - 1.
			_r=$(echo "$_kinds" | awk -v k=$(( (_p - 1) % _nk )) '{for (i = 0; i < NF; i++) printf "%s ", $((i + k) % NF + 1)}')
			for _k in $_r; do bd_move "$_k" || break 2; done
			_p=$((_p + 1))
		done
		_a=$(bd_stats plain)
		[ -n "$_a" ] && bench "downtime (guest's clock), $((_p - 1)) rounds, ms: plain (without --xenstore-state) min/median/worst $_a"
		for _k in $_kinds; do
			[ "$_k" = plain ] && continue
			_b=$(bd_stats "$_k")
			if [ -z "$_a" ] || [ -z "$_b" ]; then continue; fi
			bench "downtime (guest's clock), $((_p - 1)) rounds, ms: $_k min/median/worst $_b"
			echo "$_a $_b" | awk -v k="$_k" '{printf "BENCH %s: median %.2fx the baseline, %+.1f ms (min %.2fx, %+.1f ms)\n", k, $5 / $2, $5 - $2, $4 / $1, $4 - $1}' |
				while read -r _l; do e2e "$_l"; done
		done
	fi
	DEVG_MEM=$_m
	finish $BD_NAME
	rm -f "$BD_DISK"
}
