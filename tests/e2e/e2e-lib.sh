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

# named GROUP: whether this run names GROUP itself: for a group that no
# whole run includes (the bench group of make bench-e2e)
named() {
	case ",$E2E_GROUPS," in *",$1,"*) return 0;; esac
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

# --- osstest's leak inventory (its ts-leak-check, redone here) -------------
# leak_inventory: dom0's leakable objects, one "TYPE KEY<tab>VALUE" line
# each: domains (xl list), processes (ps, seen in two samples in a row,
# keyed by pid and command), xenstore nodes (xenstore-ls -fp) and the files
# under /tmp, /var/run, /var/tmp and /var/lib/xen.  A leak is a KEY absent
# from the basis; values are there for the report only.
leak_inventory() {
	xl list 2>/dev/null | awk 'NR > 1 {printf "domain %s\t%s\n", $2, $0}'
	ps -o pid,args > /run/leak-ps.1 2>/dev/null
	ps -o pid,args > /run/leak-ps.2 2>/dev/null
	awk 'NR == FNR {seen[$0] = 1; next} FNR > 1 && ($0 in seen) {
		line = $0; sub(/^ +/, "", line); split(line, f, " ")
		printf "process %s %s\t%s\n", f[1], f[2], line }' /run/leak-ps.1 /run/leak-ps.2
	rm -f /run/leak-ps.1 /run/leak-ps.2
	xenstore-ls -fp 2>/dev/null |
		awk 'match($0, /^\/[^ =]+ = /) {printf "xenstore %s\t%s\n", substr($0, 1, RLENGTH - 3), $0}'
	# /var/run is a link to /run: the slash follows it.
	for _d in /tmp/ /var/run/ /var/tmp/ /var/lib/xen/; do
		[ -d "$_d" ] || continue
		find "$_d" ! -type d 2>/dev/null | while read -r _f; do
			printf 'file %s\t%s\n' "$_f" "$(ls -ld "$_f" 2>/dev/null)"
		done
	done
}

# What osstest suppresses (anchored regular expressions on "TYPE KEY"):
# dom0's backend and memory directories, the /vm and /libxl roots that the
# first guest creates, kernel threads, getty and udevd.
LEAK_SUPPRESS='xenstore /local/domain/0/device-model
xenstore /local/domain/0/backend
xenstore /local/domain/0/backend/(vbd|vif|console)
xenstore /local/domain/0/memory
xenstore /local/domain/0/memory/(target|static-max|freemem-slack)
xenstore /vm
xenstore /libxl
process [0-9]+ \[[^ ]*\]
process [0-9]+ (/sbin/)?getty
process [0-9]+ .*udevd'

# leak_diff BASIS NOW [EXTRA]: the objects of NOW that BASIS lacks and no
# suppression (LEAK_SUPPRESS, then EXTRA's lines) matches, one line each
# (its scratch file in LEAK_TMP, default /run)
leak_diff() {
	_ls=${LEAK_TMP:-/run}/leak-sup
	printf '%s\n%s\n' "$LEAK_SUPPRESS" "${3:-}" | grep . > "$_ls"
	awk -F '\t' '
		FNR == 1 { part++ }
		part == 1 { sup[++n] = $0; next }
		part == 2 { ok[$1] = 1; next }
		!($1 in ok) {
			for (i = 1; i <= n; i++) if ($1 ~ ("^(" sup[i] ")$")) next
			print "LEAKED [" $1 "] " $2 }' "$_ls" "$1" "$2"
	rm -f "$_ls"
}
