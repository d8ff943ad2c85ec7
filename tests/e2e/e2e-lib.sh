# shellcheck shell=sh
# SPDX-License-Identifier: LGPL-2.1-only
# Helpers shared by the dom0 scenarios (sourced by scenario.sh once its
# e2e/pass/fail exist, so scenario-<config>.sh, nc-lib.sh and devguest.sh
# can all use them).  Every wait is bounded.

# step NAME: when (dom0 uptime) a step starts, for the time budget
step() { e2e "INFO step $1 at $(now)s"; }
now() { cut -d' ' -f1 /proc/uptime; }
# since T0: seconds of dom0 uptime since T0 (a now value)
since() { awk "BEGIN {print $(now) - $1}"; }

# only GROUP: whether this run includes GROUP's checks.  A developer's
# run may name some (E2E_ONLY=xs,dev on make's command line, e2e.only= on
# dom0's); a run that does leaves the others out and says so, so its
# counts are not a whole run's.
E2E_GROUPS=$(sed -n 's/.*e2e\.only=\([^ ]*\).*/\1/p' /proc/cmdline)
only() {
	[ -z "$E2E_GROUPS" ] && return 0
	case ",$E2E_GROUPS," in *",$1,"*) return 0;; esac
	e2e "INFO left out: the $1 checks (e2e.only=$E2E_GROUPS)"
	return 1
}

# domid NAME: empty if there is no such domain
domid() { xl domid "$1" 2>/dev/null; }

# xl_out FILE: the last lines of an xl log, on one line (for a FAIL line);
# the whole log goes to the serial log as "XL FILE: ..." lines
xl_out() {
	sed "s|^|XL $1: |" "$1" >&2
	grep -v '^ *$' "$1" | grep -v '^xc: .*: [0-9]*/[0-9]* *[0-9]*%' | tail -n 4 | tr '\n' ' '
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds, polled every 0.5 s
wait_for() {
	_wn=0 _wmax=$(($1 * 2))
	shift
	while [ $_wn -lt $_wmax ]; do
		"$@" && return 0
		sleep 0.5; _wn=$((_wn + 1))
	done
	return 1
}

# xmigrate FLAG NAME WRAPPER LOG: xl migrate [FLAG] to localhost, the
# receiver run by WRAPPER instead of ssh (see /e2e/xl-local); FLAG may be
# empty (a plain migration)
xmigrate() {
	timeout 240 xl -vv migrate ${1:+"$1"} -s "$3" "$2" localhost >"$4" 2>&1
}

# xsave FLAG NAME IMG LOG: xl save [FLAG] NAME IMG, then xl restore IMG
# (IMG removed either way); sets WHY on failure
xsave() {
	timeout 240 xl -vv save ${1:+"$1"} "$2" "$3" >"$4" 2>&1 ||
		{ WHY="xl save $1: rc $? $(xl_out "$4")"; rm -f "$3"; return 1; }
	timeout 240 xl -vv restore "$3" >>"$4" 2>&1 ||
		{ WHY="xl restore: rc $? $(xl_out "$4")"; rm -f "$3"; return 1; }
	rm -f "$3"
}

# after_move NAME OLDID: the guest came back under a new domid; sets ID,
# or WHY
# shellcheck disable=SC2034 # ID and WHY are its results
after_move() {
	ID=$(domid "$1")
	[ -n "$ID" ] || { WHY="no domain $1 afterwards"; return 1; }
	[ "$ID" != "$2" ] || { WHY="still domain $2: nothing was moved"; return 1; }
	e2e "INFO $1: domid $2 -> $ID"
}
