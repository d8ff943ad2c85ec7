# shellcheck shell=sh
# SPDX-License-Identifier: LGPL-2.1-only
# Harness of the non-cooperative PVH guest xtf-tests/tests/xenstore-noncoop,
# for the e2e scenarios (sourced in dom0 as /e2e/nc-lib.sh, after
# scenario.sh's helpers e2e/pass/fail exist).  Every wait is bounded.
#
#   nc_cfg NAME                 /tmp/NAME.cfg: PVH, the guest, on_* preserve
#   nc_wait_ready NAME ROUND [S]  until data/nc/state = ready-ROUND (S, 60 s)
#   nc_premove DOMID            the changes before the move (w/1..NC_BEFORE)
#   nc_postmove DOMID ROUND [S] the changes after it and go; waits (S, 60 s)
#                               for checked-ROUND
#   nc_results NAME DOMID ROUND six lines "<check> PASS|FAIL: <facts>"
#   nc_report PREFIX            nc_results' lines on stdin -> PASS/FAIL
#                               result lines PREFIX-<check>
# Functions use local (busybox sh has it).  NC_STATE holds the last data/nc/state nc_wait_ready/nc_postmove read.

NC_GUEST=${NC_GUEST:-/e2e/guests/xenstore-noncoop}
NC_CHECKS="txn-eagain nodes perms watch partial-request domid-port"
NC_BEFORE=3
NC_AFTER=3
NC_STATE=

nc_cfg() { # NAME
	cat > "/tmp/$1.cfg" <<CFG
name = "$1"
type = "pvh"
kernel = "$NC_GUEST"
memory = 16
vcpus = 1
on_poweroff = "preserve"
on_crash = "preserve"
on_reboot = "preserve"
CFG
}

nc_state() { # DOMID
	xenstore-read "/local/domain/$1/data/nc/state" 2>/dev/null
}

nc_wait_ready() { # NAME ROUND [SECONDS]
	local n=0 id
	while [ $n -lt $((${3:-60} * 2)) ]; do
		id=$(xl domid "$1" 2>/dev/null)
		NC_STATE=$([ -n "$id" ] && nc_state "$id")
		case $NC_STATE in
		"ready-$2") return 0;;
		arm-failed-*) return 1;;
		esac
		sleep 0.5; n=$((n + 1))
	done
	return 1
}

# nc_changes DOMID FIRST LAST WHAT: write data/nc/w/<i> = WHAT-<i>
nc_changes() {
	local i=$2
	while [ "$i" -le "$3" ]; do
		xenstore-write "/local/domain/$1/data/nc/w/$i" "$4-$i" || return 1
		i=$((i + 1))
	done
}

nc_premove() { # DOMID
	nc_changes "$1" 1 $NC_BEFORE before
}

nc_postmove() { # DOMID ROUND [SECONDS]
	local n=0 k=$((NC_BEFORE + NC_AFTER))
	nc_changes "$1" $((NC_BEFORE + 1)) $k after &&
		xenstore-write "/local/domain/$1/data/nc/w/go" "$k" || return 1
	while [ $n -lt $((${3:-60} * 2)) ]; do
		NC_STATE=$(nc_state "$1")
		# The guest re-arms at once: ready-(ROUND+1) means it checked too.
		case $NC_STATE in "checked-$2"|"ready-$(($2 + 1))") return 0;; esac
		sleep 0.5; n=$((n + 1))
	done
	return 1
}

nc_results() { # NAME DOMID ROUND
	local log=/var/log/xen/console/guest-$1.log s c v
	s=$(nc_state "$2")
	for c in $NC_CHECKS; do
		v=
		# data/check holds round ROUND's results only once it is checked.
		case $s in "checked-$3"|"ready-$(($3 + 1))")
			v=$(xenstore-read "/local/domain/$2/data/check/$c" 2>/dev/null);;
		esac
		[ -n "$v" ] || v=$(tr -d '\r' < "$log" 2>/dev/null |
			grep -a "^nc-check $3 $c " | tail -n 1 | sed "s/^nc-check $3 $c //")
		[ -n "$v" ] || v="FAIL: no result (state '${s:-none}' of domain $2, console: $(console_tail "$1"))"
		echo "$c $v"
	done
}

nc_report() { # PREFIX, nc_results' lines on stdin
	local c v
	while read -r c v; do
		case $v in
		PASS) pass "$1-$c";;
		*) fail "$1-$c" "${v#FAIL: }";;
		esac
	done
}
