# shellcheck shell=sh
# SPDX-License-Identifier: LGPL-2.1-only
# The dom0 side of the non-cooperative PVH guest (xtf-tests/tests/xenstore-noncoop).
#
# Sourced in dom0 as /e2e/nc-lib.sh by the scenarios, after e2e-lib.sh.
# Every wait is bounded.
#
#   nc_cfg NAME                 its xl config on stdout: PVH, the guest, on_* preserve
#   nc_wait_ready NAME ROUND [S]  until data/nc/state = ready-ROUND (S, 60 s)
#   nc_premove DOMID            the changes before the move (w/1..NC_BEFORE)
#   nc_postmove DOMID ROUND [S] the changes after it and go; waits (S, 60 s)
#                               for checked-ROUND
#   nc_results NAME DOMID ROUND six lines "<check> PASS|FAIL: <facts>"
#   nc_fail_all PREFIX WHY      the six lines PREFIX-<check>, failed for WHY
# NC_STATE holds the last data/nc/state nc_wait_ready/nc_postmove read.

NC_GUEST=${NC_GUEST:-/e2e/guests/xenstore-noncoop}
NC_CHECKS="txn-eagain nodes perms watch partial-request domid-port"
NC_BEFORE=3
NC_AFTER=3
NC_STATE=

nc_cfg() { guest_cfg "$1" pvh "$NC_GUEST" 16; }

nc_state() { # DOMID
	xenstore-read "/local/domain/$1/data/nc/state" 2>/dev/null
}

# nc_armed NAME ROUND: the guest armed ROUND, or failed to (NC_STATE says
# which)
nc_armed() {
	_nci=$(domid "$1")
	NC_STATE=$([ -n "$_nci" ] && nc_state "$_nci")
	case $NC_STATE in "ready-$2"|arm-failed-*) return 0;; esac
	return 1
}

nc_wait_ready() { # NAME ROUND [SECONDS]
	wait_for "${3:-60}" nc_armed "$1" "$2" || return 1
	[ "$NC_STATE" = "ready-$2" ]
}

# nc_changes DOMID FIRST LAST WHAT: write data/nc/w/<i> = WHAT-<i>
nc_changes() {
	_ncc=$2
	while [ "$_ncc" -le "$3" ]; do
		xenstore-write "/local/domain/$1/data/nc/w/$_ncc" "$4-$_ncc" || return 1
		_ncc=$((_ncc + 1))
	done
}

nc_premove() { # DOMID
	nc_changes "$1" 1 $NC_BEFORE before
}

# nc_checked DOMID ROUND: the guest checked ROUND.  It re-arms at once:
# ready-(ROUND+1) means it checked too.
nc_checked() {
	NC_STATE=$(nc_state "$1")
	case $NC_STATE in "checked-$2"|"ready-$(($2 + 1))") return 0;; esac
	return 1
}

nc_postmove() { # DOMID ROUND [SECONDS]
	_nck=$((NC_BEFORE + NC_AFTER))
	nc_changes "$1" $((NC_BEFORE + 1)) $_nck after &&
		xenstore-write "/local/domain/$1/data/nc/w/go" "$_nck" || return 1
	wait_for "${3:-60}" nc_checked "$1" "$2"
}

# nc_results NAME DOMID ROUND: the guest's verdicts (e2e-lib.sh's results)
# once ROUND is checked, else what its console said of ROUND, else a
# FAIL saying there was none
nc_results() {
	_ncl=/var/log/xen/console/guest-$1.log
	_ncs=$(nc_state "$2")
	# data/check holds round ROUND's results only once it is checked.
	for _ncc in $NC_CHECKS; do
		case $_ncs in
		"checked-$3"|"ready-$(($3 + 1))") results "$2" "$_ncc";;
		*) echo "$_ncc ";;
		esac
	done | while read -r _ncc _ncv; do
		[ -n "$_ncv" ] || _ncv=$(tr -d '\r' 2>/dev/null < "$_ncl" |
			grep -a "^nc-check $3 $_ncc " | tail -n 1 | sed "s/^nc-check $3 $_ncc //")
		[ -n "$_ncv" ] || _ncv="FAIL: no result (state '${_ncs:-none}' of domain $2, console: $(console_tail "$1"))"
		echo "$_ncc $_ncv"
	done
}

nc_fail_all() { for _ncc in $NC_CHECKS; do fail "$1-$_ncc" "$2"; done; }
