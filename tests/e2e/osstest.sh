# shellcheck shell=sh
# SPDX-License-Identifier: LGPL-2.1-only
# The osstest group: osstest's migration jobs and leak check, with --xenstore-state (osstest-*).
#
# docs/e2e.md, "osstest's jobs".  Sourced in dom0 by
# scenario-plugin.sh after devguest.sh (whose device guest it moves).
#
#   osstest_x10           osstest-localmigrate-x10, osstest-saverestore-x10
#   osstest_leak_check    osstest-leak-check (its basis: scenario.sh, before
#                         the first guest, in $LEAK_BASIS)
#
# osstest's guest-localmigrate/x10 is ten `xl migrate` to localhost in a
# row, a liveness check after each; here also ten `xl save` + `xl restore`
# in a row, and after every move the device guest's own checks
# (devg_check: devices connected, its disk read and written, its network
# both ways).

OSS_NAME=oss-pv OSS_IP=169.254.77.4 OSS_DISK=$W/oss-pv.img
OSS_MOVES=${OSS_MOVES:-10}
# 96 MiB (the device guests') ran out of memory at its 13th move: the
# guest's MemAvailable after each move is an INFO line.
OSS_MEM=128

# oss_moves LINE save|migrate: OSS_MOVES moves of the guest in a row with
# --xenstore-state, devg_check after each; the line fails at the first
# move or check that fails
oss_moves() {
	_t0=$(now)
	_i=1
	while [ $_i -le "$OSS_MOVES" ]; do
		_tm=$(now)
		devg_move $OSS_NAME "$2" --xenstore-state ||
			{ fail "$1" "move $_i: $WHY"; return 1; }
		_tc=$(now)
		devg_check $OSS_NAME $OSS_IP "$OSS_DISK" "$2$_i"
		_v=$(devg_verdict)
		[ -z "$_v" ] || { fail "$1" "after move $_i (domain $ID): $_v"; return 1; }
		gcmd $OSS_NAME 30 "grep MemAvailable /proc/meminfo" || GOUT="unread: $GOUT"
		e2e "INFO $1: move $_i to domain $ID: $(awk "BEGIN {print $_tc - $_tm}")s, checks $(since "$_tc")s, guest ${GOUT%|}"
		_i=$((_i + 1))
	done
	e2e "INFO $1: $OSS_MOVES moves and their checks took $(since "$_t0")s"
	pass "$1"
}

osstest_x10() {
	step osstest_x10
	_m=$DEVG_MEM DEVG_MEM=$OSS_MEM
	if ! devg_disk "$OSS_DISK" || ! devg_start $OSS_NAME pv $OSS_IP "$OSS_DISK"; then
		_why=${WHY:-cannot create $OSS_DISK}
		fail osstest-localmigrate-x10 "$_why"
		fail osstest-saverestore-x10 "$_why"
	else
		devg_check $OSS_NAME $OSS_IP "$OSS_DISK" boot
		_v=$(devg_verdict)
		e2e "INFO $OSS_NAME before any move: ${_v:-all checks pass}"
		oss_moves osstest-localmigrate-x10 migrate
		# A guest that is gone cannot be saved; one that failed a check
		# still can, and is.
		if [ -n "$(domid $OSS_NAME)" ]; then
			oss_moves osstest-saverestore-x10 save
		else
			fail osstest-saverestore-x10 "not run: no domain $OSS_NAME after osstest-localmigrate-x10"
		fi
	fi
	DEVG_MEM=$_m
	finish $OSS_NAME
	rm -f "$OSS_DISK"
}

# What the jobs here legitimately leave: the harness's own files (in
# /run/e2e, and the smoke test's config and xl log in /tmp), and libxl's
# record of recently destroyed domids (Xen 4.17 keeps it so as not to
# reuse one at once), written when the first guest is destroyed.
OSS_LEAK_OURS='file /var/run//?e2e/.*
file /tmp/(xsm-smoke\.cfg|smoke\.create)
file /var/run//?xen/domid-history'

osstest_leak_check() {
	step osstest_leak_check
	T=osstest-leak-check
	[ -s "$LEAK_BASIS" ] || { fail $T "no basis: $LEAK_BASIS empty or missing"; return; }
	leak_inventory > "$W"/leak.now
	leak_diff "$LEAK_BASIS" "$W"/leak.now "$OSS_LEAK_OURS" > "$W"/leak.diff
	_n=$(grep -c . "$W"/leak.diff)
	if [ "$_n" = 0 ]; then
		pass $T
		return
	fi
	sed "s/^/INFO $T: /" "$W"/leak.diff | while read -r _l; do e2e "$_l"; done
	fail $T "$_n leaked object(s): $(head -n 4 "$W"/leak.diff | tr '\n' ' ')"
}
