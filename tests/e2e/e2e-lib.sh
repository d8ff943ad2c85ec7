# shellcheck shell=sh
# SPDX-License-Identifier: LGPL-2.1-only
# The e2e harness library: result lines, bounded waits, guest configs, the guests' results, moves.
#
# Functions return results in upper-case globals (ID, WHY...), which the
# callers read.
# shellcheck disable=SC2034 # those globals are read by the sourcing scripts
#
# Sourced first by dom0's scenario.sh, so that every scenario and group
# script it sources (scenario-*.sh, nc-lib.sh, devguest.sh, record.sh,
# osstest.sh, bench-downtime.sh) uses these; run-e2e.sh on the build host
# sources it for poll only.  Sourcing it only defines functions and
# constants.  Every wait here is bounded: a poll has a number of tries,
# every xl command a timeout.  Functions keep their variables in names
# that start with "_" and their own prefix: busybox sh's functions share
# the caller's variables.

# --- result lines --------------------------------------------------------
# Every line the host parses starts with "E2E: " (run-e2e.sh's collect).
# E2E_PFX goes in front of every PASS and FAIL line's name (scenario.sh:
# "ox-" when oxenstored is dom0's xenstored).
e2e() { echo "E2E: $*"; }
pass() { e2e "PASS ${E2E_PFX:-}$1"; }
fail() { _fn=$1; shift; e2e "FAIL ${E2E_PFX:-}$_fn: $*"; }

# verdict NAME VALUE [MISSING]: a guest's own verdict on a check ("PASS"
# or "FAIL: why") as the line NAME; an empty VALUE (no verdict recorded)
# fails NAME with MISSING
verdict() {
	case $2 in
	PASS) pass "$1";;
	"") fail "$1" "${3:-the guest recorded no result}";;
	*) fail "$1" "${2#FAIL: }";;
	esac
}

# fail_checks PREFIX WHY CHECK...: the lines PREFIX-CHECK, all failed for WHY
fail_checks() {
	_fcp=$1 _fcw=$2
	shift 2
	for _fcc in "$@"; do fail "$_fcp-$_fcc" "$_fcw"; done
}

# --- time and groups -----------------------------------------------------
now() { cut -d' ' -f1 /proc/uptime; }
# since T0: seconds of dom0 uptime since T0 (a now value)
since() { awk "BEGIN {print $(now) - $1}"; }
# step NAME: when (dom0 uptime) a step starts, for the time budget
step() { e2e "INFO step $1 at $(now)s"; }

# only GROUP: whether this run includes GROUP's checks.  A developer's
# run may name some (E2E_ONLY=xs,dev on make's command line, e2e.only= on
# dom0's: scenario.sh puts it in E2E_GROUPS); a run that does leaves the
# others out and says so, so its counts are not a whole run's.
only() {
	[ -z "${E2E_GROUPS:-}" ] && return 0
	case ",$E2E_GROUPS," in *",$1,"*) return 0;; esac
	e2e "INFO left out: the $1 checks (e2e.only=$E2E_GROUPS)"
	return 1
}

# named GROUP: whether this run names GROUP itself: for a group that no
# whole run includes (the bench group of make bench-e2e)
named() {
	case ",${E2E_GROUPS:-}," in *",$1,"*) return 0;; esac
	return 1
}

# --- waits -----------------------------------------------------------------
# poll TRIES INTERVAL COMMAND...: run COMMAND until it succeeds, at most
# TRIES times, INTERVAL seconds apart; 1 if it never did.  Bounded by its
# tries (every COMMAND polled is bounded itself), so a loaded machine
# lengthens a wait rather than failing it.  COMMAND runs in this shell
# (it may set variables) and must not poll itself.
poll() {
	_pt=$1 _pi=$2
	shift 2
	while :; do
		"$@" && return 0
		_pt=$((_pt - 1))
		[ "$_pt" -gt 0 ] || return 1
		sleep "$_pi"
	done
}

# wait_for SECONDS COMMAND...: poll every 0.5 s, for about SECONDS
wait_for() { _wfs=$1; shift; poll $((_wfs * 2)) 0.5 "$@"; }

# xs_is PATH VALUE: the node holds VALUE
xs_is() { [ "$(xenstore-read "$1" 2>/dev/null)" = "$2" ]; }

# wait_value PATH VALUE SECONDS: until the node holds VALUE
wait_value() { wait_for "$3" xs_is "$1" "$2"; }

# --- domains -------------------------------------------------------------
# domid NAME: empty if there is no such domain
domid() { xl domid "$1" 2>/dev/null; }

# dom_state NAME|DOMID: xl's state letters (r b p s c d), empty if gone.
# xl list's last column is Time; the state is the 5th field.
dom_state() { xl list "$1" 2>/dev/null | awk 'NR==2 {print $5}' | tr -d '-'; }

# dom_running NAME: the domain exists and is neither paused, shut down,
# dying nor crashed.  xl's raw state string: "------" is runnable (waiting
# for a CPU), and r and b can be set together (a vCPU on its way to block
# still runs), so only p, s, d and c say it does not run.
dom_running() {
	_drs=$(xl list "$1" 2>/dev/null | awk 'NR==2 {print $5}')
	case $_drs in ""|*[psdc]*) return 1;; esac
}

# dom_stopped NAME: shut down, crashed or gone
dom_stopped() {
	case $(dom_state "$1") in ""|*s*|*c*) return 0;; esac
	return 1
}

# wait_shutdown NAME SECONDS: until the domain is shut down/crashed/gone
wait_shutdown() { wait_for "$2" dom_stopped "$1"; }

# xl_out FILE: the last lines of an xl log, on one line (for a FAIL line);
# the whole log goes to the serial log as "XL FILE: ..." lines
xl_out() {
	sed "s|^|XL $1: |" "$1" >&2
	grep -v '^ *$' "$1" | grep -v '^xc: .*: [0-9]*/[0-9]* *[0-9]*%' | tail -n 4 | tr '\n' ' '
}

# --- guests --------------------------------------------------------------
# guest_cfg NAME TYPE KERNEL MEMORY [LINE...]: an xl config on stdout: one
# vCPU, LINEs as they are, and every on_* "preserve", so that a guest that
# stopped can still be read (its xenstore results, its console)
guest_cfg() {
	printf 'name = "%s"\ntype = "%s"\nkernel = "%s"\nmemory = %s\nvcpus = 1\n' "$1" "$2" "$3" "$4"
	shift 4
	for _gcl in "$@"; do echo "$_gcl"; done
	printf 'on_poweroff = "preserve"\non_crash = "preserve"\non_reboot = "preserve"\n'
}

# create NAME CFG LOG: xl create (120 s); sets ID, or WHY
create() {
	timeout 120 xl create "$2" >"$3" 2>&1 ||
		{ WHY="xl create: $(xl_out "$3")"; return 1; }
	ID=$(domid "$1")
}

console_tail() { # NAME: the last lines of the guest's console, on one line
	_ctf=/var/log/xen/console/guest-$1.log
	[ -f "$_ctf" ] && tail -n 5 "$_ctf" | tr -d '\r' | tr '\n' '|'
}

guest_log() { # NAME: the guest's console, into the serial log for the record
	_glf=/var/log/xen/console/guest-$1.log
	[ -f "$_glf" ] && tr -d '\r' < "$_glf" | sed "s/^/GUEST $1: /"
}

# finish NAME: the end of a guest on this host.  A xenstore-migrate guest
# that serves is told to end (data/finish) and given 30 s; then the
# guest's console goes to the serial log and the domain, if any, is
# destroyed.  The console is logged even when the guest is gone (it moved
# to the other host).
finish() {
	_fid=$(domid "$1")
	if [ -n "$_fid" ] && xs_is "/local/domain/$_fid/data/state" serving; then
		xenstore-write "/local/domain/$_fid/data/finish" 1
		wait_shutdown "$1" 30 || e2e "INFO $1: still running after data/finish"
	fi
	guest_log "$1"
	[ -z "$_fid" ] || timeout 60 xl destroy "$1" >/dev/null 2>&1
}

# alive NAME TAG SECONDS: the guest echoes data/ping to data/pong
alive() {
	_ald=$(domid "$1")
	xenstore-write "/local/domain/$_ald/data/ping" "$2" &&
		wait_value "/local/domain/$_ald/data/pong" "$2" "$3"
}

# --- the guests' results -------------------------------------------------
# results DOMID [CHECK...]: the guest's verdicts, one "CHECK VERDICT" line
# each, from data/check/CHECK ("PASS" or "FAIL: why"; empty if it wrote
# none); without CHECKs, every node under data/check
results() {
	_rsd=/local/domain/$1/data/check
	shift
	if [ $# -eq 0 ]; then
		# shellcheck disable=SC2046 # xenstore-list prints one node name a line: words
		set -- $(xenstore-list "$_rsd" 2>/dev/null)
	fi
	for _rsc in "$@"; do
		echo "$_rsc $(xenstore-read "$_rsd/$_rsc" 2>/dev/null)"
	done
}

# report PREFIX [MISSING]: results' lines on stdin as the lines
# PREFIX-CHECK (verdict; MISSING for a check without one)
report() {
	while read -r _rpc _rpv; do verdict "$1-$_rpc" "$_rpv" "${2:-}"; done
}

# --- moves ---------------------------------------------------------------
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
# first guest creates, kernel threads, getty and udevd.  And oxenstored's
# dump of its whole store, which it writes each time its access log
# rotates: the daemon's own file, there after enough requests whatever
# the guests did.
LEAK_SUPPRESS='xenstore /local/domain/0/device-model
xenstore /local/domain/0/backend
xenstore /local/domain/0/backend/(vbd|vif|console)
xenstore /local/domain/0/memory
xenstore /local/domain/0/memory/(target|static-max|freemem-slack)
xenstore /vm
xenstore /libxl
process [0-9]+ \[[^ ]*\]
process [0-9]+ (/sbin/)?getty
process [0-9]+ .*udevd
file /var/run/xenstored/db'

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
