#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only
# check-faults: save and restore with xenstored stopped or killed, and worse.
#
# Faults around save and restore, against real (patched) xenstored on
# tests/xensim's simulated hosts: xenstored stopped or killed before and
# during a save and a restore, concurrent saves of one domain, a guest
# doing its worst (writing in a loop, failed writes in an open
# transaction, a full ring, a half-written request), and the CLI's
# honesty (closed stdout, closed pipe, write errors, bounded memory).
#
# Each case asserts: the command ends within its timeout with a clear
# message and the right status, nothing is half-applied (xenstore-ls of
# the receiving host unchanged, no output or scratch file left), and
# after a failed save the guest is served again on the source.
#
# "During" is made exact with strace's syscall delay: the CLI's Nth
# request to xenstored (sendto) is held back 1.5 s while the test
# stops or kills the daemon.
#
# Usage: check-faults.sh COUNTS-FILE
set -u

counts=${1:?usage: check-faults.sh COUNTS-FILE}
here=$(cd "$(dirname "$0")" && pwd)
X=$(cd "${XENSIM_BUILD:-build/xensim}" && pwd)/xensim
XSM=$(cd "${XSM_BIN:-build/bin}" && pwd)/xsmigrate
XSSTATE=$here/../xensim/xsstate.py
export XENSIM_TIMEOUT_MS=${XENSIM_TIMEOUT_MS:-5000}
testlib_timeout=20 # a client command's bound, seconds
LIMIT=1          # --timeout of the commands under test, seconds
BOUND=5          # "ends within its timeout": 1.5 s held back + 1 s + slack

# shellcheck source=../lib/testlib.sh
. "$here/../lib/testlib.sh"
testlib_begin "$counts" xsm-faults
export XSM_STATE_DIR=$work/state
mkdir -p "$XSM_STATE_DIR"

pid_of() { cat "$1/xenstored.pid"; }
now_ms() { date +%s%3N; }
host() {	# DIR: a started host, stopped at exit
	host_start "$1" || { fail "host-$(basename "$1")" "cannot start"; exit 1; }
}
domain() {	# HOST DOMID: an introduced domain with a node
	"$X" domain create "$1" "$2" --introduce >/dev/null &&
		echo "write /local/domain/$2/data/x v$2" | guest "$1" "$2" >/dev/null
}
# The guest is served: a write through its ring is answered.
served() { echo "write /local/domain/$2/data/alive yes" | XENSIM_TIMEOUT_MS=3000 guest "$1" "$2"; }
# The guest is not served (quiesced): a read times out.
unserved() {
	echo "read /local/domain/$2/data/x" | XENSIM_TIMEOUT_MS=1000 "$X" guest "$1" "$2" \
		>/dev/null 2>&1 && echo answered || echo unanswered
}
# Run the CLI with its Nth request to xenstored delayed by 1.5 s.
delayed() {	# N HOST ARGS...
	local n=$1 h=$2; shift 2
	XENSTORED_PATH=$h/run/socket $T strace -f -qq -o /dev/null \
		-e trace=sendto -e inject=sendto:delay_enter=1500000:when="$n" "$XSM" "$@"
}
# FILE when it exists (a command that failed must not leave one).
present() { [ ! -e "$1" ] || echo "$1"; }
no_scratch() { expect "$1-no-scratch-file" "" "$(ls -A "$XSM_STATE_DIR")"; }
stream_ok() {	# NAME FILE DOMID: valid to our reader and to the independent one
	local v
	v=$("$XSM" verify "$2" 2>&1 && python3 "$XSSTATE" "$2" 2>&1 | grep -c "^CONN id=1 type=ring domid=$3 ")
	expect "$1" "1" "$v"
}
within() {	# NAME START-MS
	local t=$(( $(now_ms) - $2 ))
	if [ "$t" -le $((BOUND * 1000)) ]
	then pass "$1-within-${BOUND}s"
	else fail "$1-within-${BOUND}s" "took $t ms"
	fi
}

# Nothing a guest did can fail its save: saved on A, valid, restored on B.
saved() {	# NAME DOMID
	xsm "$A" save --domid "$2" --timeout $LIMIT -o "$work/s$2.xsm" 2>"$work/err"
	expect "$1-save" "0 " "$? $(cat "$work/err")"
	stream_ok "$1-stream" "$work/s$2.xsm" "$2"
}
moved() {	# NAME DOMID
	local port
	port=$("$X" domain move "$A" "$B" "$2" | sed -n 's/^port //p')
	home "$B" "$2" "$port"
	xsm "$B" restore --domid "$2" --port "$port" "$work/s$2.xsm" 2>"$work/err"
	expect "$1-restore" "0 " "$? $(cat "$work/err")"
}

# Run CMD with its 3rd request to xenstored held back, and meanwhile send
# SIGNAL to HOST's xenstored: the fault lands after the first two, "help"
# (which commands the daemon has) and the quiesce of a save or the quota
# query of a restore.  Checks the
# time taken; leaves the status in $rc, stderr in $work/err.
fault_during() {	# NAME SIGNAL HOST CMD-ARGS...
	local name=$1 sig=$2 h=$3 t0 pid
	shift 3
	pid=$(pid_of "$h")
	t0=$(now_ms)
	delayed 3 "$h" "$1" --timeout $LIMIT "${@:2}" 2>"$work/err" &
	sleep 0.7
	kill -"$sig" "$pid"
	wait $!
	rc=$?
	within "$name" "$t0"
}

command -v strace >/dev/null || { fail strace "strace is needed (scripts/setup installs it)"; exit 1; }
A=$work/a; B=$work/b
host "$A"; host "$B"

# --- xenstored stopped before a save -------------------------------------
domain "$A" 5
kill -STOP "$(pid_of "$A")"
t0=$(now_ms)
xsm "$A" save --domid 5 --timeout $LIMIT -o "$work/s5.xsm" 2>"$work/err"
rc=$?
within stopped-save "$t0"
kill -CONT "$(pid_of "$A")"
expect stopped-save-status 5 $rc
expect stopped-save-message 1 "$(grep -c "^xsmigrate save: xenstored \"quiesce\": no reply from xenstored within $LIMIT s" "$work/err")"
expect stopped-save-no-output "" "$(present "$work/s5.xsm")"
expect stopped-save-guest-served OK "$(served "$A" 5)"
no_scratch stopped-save

# --- xenstored stopped during a save (after the quiesce) -----------------
domain "$A" 6
fault_during stopped-mid-save STOP "$A" save --domid 6 -o "$work/s6.xsm"
expect stopped-mid-save-status 5 $rc
expect stopped-mid-save-message 1 "$(grep -c "no reply from xenstored within $LIMIT s; xenstored resumes domain 6" "$work/err")"
kill -CONT "$(pid_of "$A")"
expect stopped-mid-save-no-output "" "$(present "$work/s6.xsm")"
expect stopped-mid-save-guest-served OK "$(served "$A" 6)"
no_scratch stopped-mid-save

# --- concurrent saves of one domain ---------------------------------------
domain "$A" 7
delayed 3 "$A" save --domid 7 --timeout 5 -o "$work/s7a.xsm" 2>"$work/err7a" &
first=$!
sleep 0.7
xsm "$A" save --domid 7 --timeout $LIMIT -o "$work/s7b.xsm" 2>"$work/err7b"
expect concurrent-second-status 5 $?
expect concurrent-second-message 1 "$(grep -c "domain 7 is quiesced already (another save holds it)" "$work/err7b")"
wait $first
expect concurrent-first-status 0 $?
expect concurrent-first-stderr "" "$(cat "$work/err7a")"
stream_ok concurrent-first-stream "$work/s7a.xsm" 7
expect concurrent-second-undid-nothing unanswered "$(unserved "$A" 7)"
xsm "$A" resume --domid 7 2>"$work/err"
expect resume-status 0 $?
expect resume-guest-served OK "$(served "$A" 7)"

# --- a guest writing in a loop during the save ---------------------------
domain "$A" 8
python3 -c 'import sys
for i in range(20000): print("write /local/domain/8/data/k %d" % i)' 2>/dev/null |
	XENSIM_TIMEOUT_MS=1500 "$X" guest "$A" 8 >/dev/null 2>&1 &
writer=$!
sleep 0.3
saved writing-guest 8
wait $writer 2>/dev/null
moved writing-guest 8
k=$(echo "read /local/domain/8/data/k" | guest "$B" 8)
if [ -n "$k" ] && [ "$k" -ge 0 ] 2>/dev/null
then pass writing-guest-value-moved
else fail writing-guest-value-moved "'$k'"
fi

# --- a failed write inside a transaction the guest keeps open -----------
domain "$A" 9
big=$(head -c 3000 /dev/zero | tr '\0' v)
out=$(printf 'tx-start\ntx-write 1 /local/domain/9/data/big %s\n' "$big" | guest "$A" 9)
expect failed-tx-write-setup "$(printf 'tx 1\nENOSPC')" "$out"
saved failed-tx-write 9

# --- a full ring ------------------------------------------------------------
domain "$A" 10
for i in $(seq 300); do echo "raw-request read /local/domain/10/data/x"; done |
	XENSIM_TIMEOUT_MS=500 "$X" guest "$A" 10 >/dev/null 2>&1
saved full-ring 10
moved full-ring 10

# --- a half-written request -----------------------------------------------
domain "$A" 11
echo "partial-request write /local/domain/11/data/half value" | guest "$A" 11 >/dev/null
sleep 0.2
saved half-request 11
moved half-request 11

# --- xenstored stopped, then killed, during a restore ----------------------
domain "$A" 12
xsm "$A" save --domid 12 -o "$work/s12.xsm" 2>"$work/err" || fail save-12 "$(cat "$work/err")"
port=$("$X" domain move "$A" "$B" 12 | sed -n 's/^port //p')
home "$B" 12 "$port"
on "$B" xenstore-ls -fp / > "$work/before" 2>&1
fault_during stopped-mid-restore STOP "$B" restore --domid 12 --port "$port" "$work/s12.xsm"
kill -CONT "$(pid_of "$B")"
expect stopped-mid-restore-status 5 $rc
expect stopped-mid-restore-message 1 "$(grep -c "^xsmigrate restore: .*no reply from xenstored within $LIMIT s" "$work/err")"
sleep 0.5	# xenstored reads the abandoned request now: it must find no state
on "$B" xenstore-ls -fp / > "$work/after" 2>&1
expect stopped-mid-restore-nothing-applied "" "$(diff "$work/before" "$work/after" 2>&1)"
no_scratch stopped-mid-restore
xsm "$B" restore --domid 12 --port "$port" "$work/s12.xsm" 2>"$work/err"
expect restore-after-stop-works "0 " "$? $(cat "$work/err")"
expect restore-after-stop-node v12 "$(echo "read /local/domain/12/data/x" | guest "$B" 12)"

C=$work/c
host "$C"
domain "$C" 13
fault_during killed-mid-save KILL "$C" save --domid 13 -o "$work/s13.xsm"
expect killed-mid-save-status 5 $rc
expect killed-mid-save-message 1 "$(grep -c "^xsmigrate save: .*: \(Connection reset by peer\|Broken pipe\|Connection refused\)" "$work/err")"
expect killed-mid-save-no-output "" "$(present "$work/s13.xsm")"
no_scratch killed-mid-save

D=$work/d
host "$D"
domain "$A" 14
xsm "$A" save --domid 14 -o "$work/s14.xsm" 2>"$work/err" || fail save-14 "$(cat "$work/err")"
port=$("$X" domain move "$A" "$D" 14 | sed -n 's/^port //p')
fault_during killed-mid-restore KILL "$D" restore --domid 14 --port "$port" "$work/s14.xsm"
expect killed-mid-restore-status 5 $rc
expect killed-mid-restore-message 1 "$(grep -c "^xsmigrate restore: .*: \(Connection reset by peer\|Broken pipe\|Connection refused\)" "$work/err")"
no_scratch killed-mid-restore

# --- the CLI's own faults ----------------------------------------------------
domain "$A" 15
xsm "$A" save --domid 15 >&- 2>"$work/err"
expect closed-stdout-status 3 $?
expect closed-stdout-message 1 "$(grep -c "^xsmigrate save: standard output: cannot write: it is closed" "$work/err")"
expect closed-stdout-guest-served OK "$(served "$A" 15)"
expect closed-stdout-xenstored-alive 0 "$(on "$A" xenstore-read /local/domain/15/data/x >/dev/null; echo $?)"

domain "$A" 16
rc=$(ERR=$work/pipe.err XENSTORED_PATH=$A/run/socket python3 -c '
import os, subprocess, sys
r, w = os.pipe(); os.close(r)
p = subprocess.run(sys.argv[1:], stdout=w, stderr=open(os.environ["ERR"], "w"), timeout=20)
print(p.returncode)' "$XSM" save --domid 16)
expect closed-pipe-status 3 "$rc"
expect closed-pipe-message 1 "$(grep -c "^xsmigrate save: cannot write the stream: Broken pipe" "$work/pipe.err")"
expect closed-pipe-guest-served OK "$(served "$A" 16)"

domain "$A" 17
xsm "$A" save --domid 17 > /dev/full 2>"$work/err"
expect full-device-save-status 3 $?
expect full-device-guest-served OK "$(served "$A" 17)"

python3 -c 'import struct, sys
n = (16 << 20) // 8 - 3
sys.stdout.buffer.write(b"xenstore" + struct.pack(">II", 1, 0) + struct.pack("<II", 0x100, 0) * n + bytes(8))' \
	> "$work/warn16.xsm"
/usr/bin/time -f %M -o "$work/rss" "$XSM" verify "$work/warn16.xsm" 2>"$work/err"
expect verify-16mb-status 0 $?
rss=$(tail -n 1 "$work/rss")
if [ "${rss:-999999}" -lt 40960 ]
then pass "verify-16mb-rss-under-40mb ($rss kB)"
else fail verify-16mb-rss-under-40mb "${rss:-?} kB"
fi
expect verify-16mb-warning-count 1 "$(grep -c "more warnings (2097149 in all)" "$work/err")"

# A restore whose stream cannot be read is an I/O error (3), not a
# refused stream (1): /proc/self/mem fails read(2) at offset 0 with EIO.
"$X" domain create "$B" 18 >/dev/null
xsm "$B" restore --domid 18 --port 1 /proc/self/mem 2>"$work/err"
expect restore-read-error-status 3 $?
expect restore-read-error-message 1 "$(grep -c "^xsmigrate restore: cannot read the stream: .*Input/output error" "$work/err")"

# No scratch file for xenstored (the state directory is gone): a file
# error of this host, 3, never "xenstored unreachable" (5); the save
# resumes its domain, the restore applies nothing.
domain "$A" 19
XSM_STATE_DIR=$work/no-such-dir xsm "$A" save --domid 19 -o "$work/s19.xsm" 2>"$work/err"
expect scratch-missing-save-status 3 $?
expect scratch-missing-save-message 1 "$(grep -c "^xsmigrate save: cannot create a scratch file: No such file or directory" "$work/err")"
expect scratch-missing-save-guest-served OK "$(served "$A" 19)"
xsm "$A" save --domid 19 -o "$work/s19.xsm" 2>"$work/err" || fail scratch-missing-resave "$(cat "$work/err")"
port=$("$X" domain move "$A" "$B" 19 | sed -n 's/^port //p')
home "$B" 19 "$port"
XSM_STATE_DIR=$work/no-such-dir xsm "$B" restore --domid 19 --port "$port" "$work/s19.xsm" 2>"$work/err"
expect scratch-missing-restore-status 3 $?
expect scratch-missing-restore-message 1 "$(grep -c "^xsmigrate restore: cannot create a scratch file: No such file or directory" "$work/err")"
expect scratch-missing-restore-nothing-applied "" "$(on "$B" xenstore-read /local/domain/19/data/x 2>/dev/null)"
xsm "$B" restore --domid 19 --port "$port" "$work/s19.xsm" 2>"$work/err"
expect scratch-missing-restore-then-restored "0 v19" "$? $(on "$B" xenstore-read /local/domain/19/data/x 2>&1)"

# --- the toolstack in a PID namespace of its own --------------------------
# The state file goes to xenstored with the request (SCM_RIGHTS), never as
# a /proc/PID/fd/N name that xenstored would resolve in its own namespace.
# CMD... as PID 1 of new PID and mount namespaces with their own /proc.
# In a chroot, "/" is no mount point and --mount-proc cannot make it
# private: /proc is made private in the new mount namespace and the new
# proc mounted there, which reaches no other namespace either.
pidns() {
	if unshare --pid --fork --mount-proc true 2>/dev/null; then
		unshare --pid --fork --mount-proc "$@"
	else
		unshare --pid --fork --mount --propagation unchanged sh -c \
			'mount --make-private /proc && mount -t proc proc /proc && exec "$@"' pidns "$@"
	fi
}
if pidns true 2>/dev/null; then
	pidns bash "$here/pidns-case.sh" "$X" "$XSM" "$work/pidns" >"$work/pidns.out" 2>&1
	rc=$?
	while read -r verdict name why; do
		case $verdict in
		PASS) pass "pidns-$name" ;;
		FAIL) fail "pidns-${name%:}" "$why" ;;
		esac
	done <"$work/pidns.out"
	expect pidns-status 0 $rc
else
	fail pidns "new PID and mount namespaces are not permitted here (run as root)"
fi

no_scratch end
[ "$failed" = 0 ]
