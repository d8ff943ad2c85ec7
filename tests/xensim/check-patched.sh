#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Tests of the xsmigrate xenstored patches (libxl-patches/series): the
# quiesce, unquiesce, save-domain and restore-domain CONTROL commands, on
# two simulated hosts A and B running xenstored-patched.
#
# Usage: check-patched.sh COUNTS-FILE
# Prints "PASS name" / "FAIL name: why" per check and writes "<passed>
# <failed>" to COUNTS-FILE.  Every wait is bounded (xensim's by
# XENSIM_TIMEOUT_MS, other clients by timeout(1), polls by a count), and the
# hosts are always stopped on exit.
set -u

counts=${1:?usage: check-patched.sh COUNTS-FILE}
build=$(cd "${XENSIM_BUILD:-build/xensim}" && pwd)
X=$build/xensim
XSM=${XSM_BIN:-build/bin}/xsmigrate
XC=${XENSTORE_CONTROL:-/usr/lib/xen-4.17/bin/xenstore-control}
export XENSIM_TIMEOUT_MS=${XENSIM_TIMEOUT_MS:-5000}
export XENSIM_XENSTORED=${XENSIM_XENSTORED:-$build/xenstored-patched}
T="timeout 10"

. "$(dirname "$0")/../lib/testlib.sh"
testlib_begin "$counts" xsm-patched
A=$work/a
B=$work/b
F=$work/dom5.xsm
testlib_host "$A"
testlib_host "$B"
# on HOST CMD...: a dom0 tool talking to HOST's xenstored.
on() { local h=$1; shift; XENSTORED_PATH=$h/run/socket $T "$@"; }
# ctl HOST ARGS...: xenstore-control; prints its answer, or the errno name
# (xenstore-control reports EINVAL as "Command not supported").
ctl() {
	local h=$1 out rc
	shift
	out=$(on "$h" "$XC" "$@" 2>&1)
	rc=$?
	if [ $rc = 0 ]; then echo "$out"; return; fi
	case "$out" in
	"Error 2 "*) echo ENOENT ;;
	"Error 16 "*) echo EBUSY ;;
	"Error 17 "*) echo EEXIST ;;
	"Error 28 "*) echo ENOSPC ;;
	"Error 7 "*) echo E2BIG ;;
	"Error 13 "*) echo EACCES ;;
	"Command not supported"*) echo EINVAL ;;
	*) echo "rc=$rc $(echo "$out" | head -1)" ;;
	esac
}
guest() { local h=$1; shift; "$X" guest "$h" "$@" 2>>"$work/guest.err"; }
# ring_replies RINGFILE REQID: replies to REQID unread on a ring page.
ring_replies() {
	python3 - "$1" "$2" <<'EOF'
import struct, sys
r = open(sys.argv[1], "rb").read()
rsp = r[1024:2048]
cons, prod = struct.unpack_from("<II", r, 2056)
n = 0
while prod - cons >= 16:
    hdr = bytes(rsp[(cons + i) % 1024] for i in range(16))
    typ, req, tx, ln = struct.unpack("<IIII", hdr)
    if prod - cons < 16 + ln:
        break
    n += typ != 15 and req == int(sys.argv[2])
    cons += 16 + ln
print(n)
EOF
}

[ -x "$XENSIM_XENSTORED" ] || { fail daemon "$XENSIM_XENSTORED not built"; exit 1; }
"$X" host start "$A" >/dev/null || { fail host-a "$(cat "$A/xenstored.log")"; exit 1; }
"$X" host start "$B" >/dev/null || { fail host-b "$(cat "$B/xenstored.log")"; exit 1; }
help=$(ctl "$A" help)
case "$help" in *restore-domain*) pass patched-daemon ;;
*) fail patched-daemon "no restore-domain in: $help"; exit 1 ;; esac

# --- guest 5 on A: a node with permissions, a watch, a transaction -----
"$X" domain create "$A" 5 --introduce >/dev/null
out=$(printf '%s\n' 'write /local/domain/5/data/x v1' \
	'setperms /local/domain/5/data/x n5 r0' \
	'watch /local/domain/5/data tok' 'events 1 2000' 'tx-start' \
	'tx-write 1 /local/domain/5/data/y ty' \
	'getperms /local/domain/5/data/x' | guest "$A" 5)
expect guest-setup "$(printf 'OK\nOK\nOK\n/local/domain/5/data tok\ntx 1\nOK\nn5 r0')" "$out"
perms_a=$(echo "$out" | tail -1)

expect save-not-quiesced EBUSY "$(ctl "$A" save-domain 5 "$F" /local/domain/5)"
[ -e "$F" ] && fail save-not-quiesced-no-file "$F written" || pass save-not-quiesced-no-file
expect quiesce-unknown ENOENT "$(ctl "$A" quiesce 9)"
expect quiesce OK "$(ctl "$A" quiesce 5)"
# A quiesce belongs to the save that made it: a second one is refused.
expect quiesce-twice-ebusy EBUSY "$(ctl "$A" quiesce 5)"
# An owned quiesce ends with its connection if no save-domain took it over.
"$X" domain create "$A" 7 --introduce >/dev/null
expect quiesce-owned OK "$(ctl "$A" quiesce 7 owned)"
expect quiesce-owned-ends-with-its-connection OK \
	"$(echo 'write /local/domain/7/alive yes' | guest "$A" 7)"
expect quiesce-bad-argument EINVAL "$(ctl "$A" quiesce 7 forever)"

# While quiesced: an event for the guest is queued, a request it sends
# stays on its ring.
on "$A" xenstore-write /local/domain/5/data/x v2
req=$(echo 'raw-request write /local/domain/5/data/raw r' | guest "$A" 5)
req=${req#req }
sleep 0.3
expect_error quiesced-request-not-processed "couldn't read path" on "$A" xenstore-read /local/domain/5/data/raw

expect save-domain OK "$(ctl "$A" save-domain 5 "$F" /local/domain/5)"
if "$XSM" verify "$F" >"$work/verify.out" 2>&1; then pass save-verifies
else fail save-verifies "$(cat "$work/verify.out")"; fi
"$XSM" dump --json "$F" > "$work/dump.json" 2>&1
python3 - "$work/dump.json" > "$work/records.txt" 2>&1 <<'EOF'
import json, sys
for r in json.load(open(sys.argv[1]))["records"]:
    t = r["type"]
    if t == "CONNECTION_DATA":
        print(t, r["conn-id"], r["conn-type"], r["domid"],
              "out" if r["out-data"] else "no-out")
    elif t == "WATCH_DATA":
        print(t, r["conn-id"], r["wpath"], r["token"])
    elif t == "TRANSACTION_DATA":
        print(t, r["conn-id"], r["tx-id"])
    elif t == "NODE_DATA":
        print(t, r["conn-id"], r["tx-id"], r["path"], repr(r["value"]),
              ",".join(p["perm"] + str(p["domid"]) for p in r["perms"]))
    else:
        print(t)
EOF
rec() { grep -qxF "$1" "$work/records.txt" && pass "$2" || fail "$2" "no '$1' in $(tr '\n' '|' < "$work/records.txt")"; }
rec "CONNECTION_DATA 1 ring 5 out" save-connection-pending-event
rec "WATCH_DATA 1 /local/domain/5/data tok" save-watch
rec "TRANSACTION_DATA 1 1" save-transaction
rec "NODE_DATA 1 1 /local/domain/5/data/y 'ty' n5" save-transaction-node
rec "NODE_DATA 0 0 /local/domain/5 '' n5" save-node-root
rec "NODE_DATA 0 0 /local/domain/5/data/x 'v2' n5,r0" save-node-perms
expect save-ends-with-end END "$(tail -1 "$work/records.txt")"

# --- the move -----------------------------------------------------------
out=$("$X" domain move "$A" "$B" 5 2>&1)
port=${out#port }
case "$out" in "port "[0-9]*) pass move ;; *) fail move "$out" ;; esac
# B's toolstack makes the home (restore-domain creates only what the guest
# could create itself); the stream is A's own, dom0's nodes in it included:
# "trusted".
echo "/local/domain/5 - n5" | timeout 20 python3 "$(dirname "$0")/../integration/toolstack.py" \
	"$B/run/socket" && pass receiving-home || fail receiving-home "toolstack.py failed"
on "$B" xenstore-ls -p > "$work/b-before.txt" 2>&1

# A truncated stream: refused, nothing applied, not introduced.
head -c $(( $(stat -c %s "$F") / 2 )) "$F" > "$work/trunc.xsm"
expect restore-truncated EINVAL "$(ctl "$B" restore-domain 5 0xfeffc "$port" "$work/trunc.xsm" trusted)"
expect restore-truncated-nothing-applied "$(cat "$work/b-before.txt")" "$(on "$B" xenstore-ls -p 2>&1)"
expect restore-missing-file ENOENT "$(ctl "$B" restore-domain 5 0xfeffc "$port" "$work/nonexistent" trusted)"

# Over quota (nodes per domain): all or nothing, also when the stream is
# fine and the nodes were written already.
nodes_quota=$(ctl "$B" quota | awk '$1 == "nodes" { print $3 }')
expect quota-lowered OK "$(ctl "$B" quota set nodes 2)"
expect restore-over-quota ENOSPC "$(ctl "$B" restore-domain 5 0xfeffc "$port" "$F" trusted)"
expect quota-restored OK "$(ctl "$B" quota set nodes "${nodes_quota:-1000}")"
expect restore-over-quota-nothing-applied "$(cat "$work/b-before.txt")" "$(on "$B" xenstore-ls -p 2>&1)"

# Without "trusted", A's dom0-owned nodes (name, domid, store/*) are not
# the guest's to restore.
expect restore-untrusted-dom0-nodes EACCES "$(ctl "$B" restore-domain 5 0xfeffc "$port" "$F")"
expect restore-untrusted-nothing-applied "$(cat "$work/b-before.txt")" "$(on "$B" xenstore-ls -p 2>&1)"
expect restore-domain OK "$(ctl "$B" restore-domain 5 0xfeffc "$port" "$F" trusted)"
expect restore-twice EEXIST "$(ctl "$B" restore-domain 5 0xfeffc "$port" "$F" trusted)"
expect restored-node v2 "$(on "$B" xenstore-read /local/domain/5/data/x 2>&1)"

# The request left on the ring on A is answered on B, exactly once.
for _ in $(seq 100); do
	[ "$(on "$B" xenstore-read /local/domain/5/data/raw 2>/dev/null)" = r ] && break
	sleep 0.05
done
expect ring-request-processed r "$(on "$B" xenstore-read /local/domain/5/data/raw 2>&1)"
expect ring-request-answered-once 1 "$(ring_replies "$B/hv/dom/5/ring" "$req")"

# Guest 5 on B, never told it moved: the event queued on A, the event of
# its own write; its transaction fails with EAGAIN; its node and
# permissions; a new transaction gets a new id.
out=$(printf '%s\n' 'events 2 2000' 'tx-end 1' 'read /local/domain/5/data/x' \
	'getperms /local/domain/5/data/x' 'tx-start' | guest "$B" 5)
expect guest-after-move "$(printf '/local/domain/5/data/x tok\n/local/domain/5/data/raw tok\nEAGAIN\nv2\n%s\ntx 2' "$perms_a")" "$out"
expect ring-reply-read-once 1 "$(grep -c "dropping reply to request $req " "$work/guest.err")"
on "$B" xenstore-write /local/domain/5/data/x b
expect restored-watch-fires "/local/domain/5/data/x tok" "$(echo 'events 1 2000' | guest "$B" 5)"
expect no-spurious-events "" "$(echo 'events' | guest "$B" 5 || echo "guest failed: $?")"

# --- unquiesce on A: a failed save resumes the guest --------------------
"$X" domain create "$A" 6 --introduce >/dev/null
expect quiesce-6 OK "$(ctl "$A" quiesce 6)"
echo 'raw-request write /local/domain/6/q 1' | guest "$A" 6 >/dev/null
expect save-no-paths OK "$(ctl "$A" save-domain 6 "$work/dom6.xsm")"
"$XSM" dump --json "$work/dom6.xsm" > "$work/dump6.json" 2>&1
expect save-no-paths-no-nodes 0 "$(grep -o '"conn-id":0' "$work/dump6.json" | wc -l)"
sleep 0.2
expect_error quiesced-6-waits "couldn't read path" on "$A" xenstore-read /local/domain/6/q
expect unquiesce OK "$(ctl "$A" unquiesce 6)"
for _ in $(seq 100); do
	[ "$(on "$A" xenstore-read /local/domain/6/q 2>/dev/null)" = 1 ] && break
	sleep 0.05
done
expect unquiesce-resumes 1 "$(on "$A" xenstore-read /local/domain/6/q 2>&1)"
expect unquiesced-guest "$(printf 'OK\n1')" "$(printf 'write /local/domain/6/r 2\nread /local/domain/6/q\n' | guest "$A" 6)"
expect save-after-unquiesce EBUSY "$(ctl "$A" save-domain 6 "$work/dom6.xsm")"

# Xen's own functional test of xenstored (Debian's xen-utils-4.17), against
# the patched daemon: nothing of the series changes what it checks.
TX=${TEST_XENSTORE:-/usr/lib/xen-4.17/bin/test-xenstore}
if [ -x "$TX" ]; then
	out=$(XENSTORED_PATH=$B/run/socket timeout 300 "$TX" 2>&1)
	rc=$?
	[ $rc = 0 ] && pass test-xenstore || fail test-xenstore "status $rc: $(echo "$out" | tail -n 3 | tr '\n' '|')"
else
	fail test-xenstore "$TX not installed (xen-utils-4.17)"
fi

pid_a=$(cat "$A/xenstored.pid"); pid_b=$(cat "$B/xenstored.pid")
kill -0 "$pid_a" && kill -0 "$pid_b" && pass daemons-alive || fail daemons-alive "a xenstored died"

[ "$failed" = 0 ]
