#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# check-ox: oxenstored of the patched tree on a simulated host.
#
# oxenstored (the OCaml xenstored of the patched tree) on a simulated host:
# it serves dom0's tools and a guest's ring, with watches, transactions and
# a dying domain, so that its control commands can be tested like C
# xenstored's (check-patched.sh).
#
# Usage: check-ox.sh COUNTS-FILE
# Prints "PASS name" / "FAIL name: why" per check and writes "<passed>
# <failed>" to COUNTS-FILE.  Every wait is bounded; the host is always
# stopped on exit.
set -u

counts=${1:?usage: check-ox.sh COUNTS-FILE}
build=$(cd "${XENSIM_BUILD:-build/xensim}" && pwd)
X=$build/xensim
XSM=${XSM_BIN:-build/bin}/xsmigrate
export XENSIM_TIMEOUT_MS=${XENSIM_TIMEOUT_MS:-5000}
export XENSIM_XENSTORED=${XENSIM_XENSTORED:-$(cd "$(dirname "$0")" && pwd)/oxenstored-xensim}
export XENSIM_OXENSTORED=${XENSIM_OXENSTORED:-$build/oxenstored-patched}

# shellcheck source=../lib/testlib.sh
. "$(dirname "$0")/../lib/testlib.sh"
testlib_begin "$counts" xsm-ox
A=$work/a
testlib_host "$A"
# receiving_home HOST DOMID: the receiving toolstack's home for a domain
# (restore-domain creates only what the guest could create itself).
receiving_home() {
	echo "/local/domain/$2 - n$2" | toolstack_write "$1/run/socket"
}

[ -x "$XENSIM_OXENSTORED" ] || { fail daemon "$XENSIM_OXENSTORED not built"; exit 1; }
"$X" host start "$A" >/dev/null || { fail host "$(cat "$A/xenstored.log")"; exit 1; }
# The daemon that answers is oxenstored: its pid file, not C xenstored's.
if [ -s "$A/run/oxenstored.pid" ] && on "$A" xenstore-write /ox/probe 1 &&
	[ "$(on "$A" xenstore-read /ox/probe)" = 1 ]; then
	pass ox-serves-dom0
else
	fail ox-serves-dom0 "$(tail -3 "$A/xenstored.log")"
fi

"$X" domain create "$A" 3 --introduce >/dev/null
out=$(printf '%s\n' 'write /local/domain/3/data/x v1' 'read /local/domain/3/data/x' \
	'watch /local/domain/3/data tk' 'events 1 2000' | guest "$A" 3)
want=$(printf '%s\n' OK v1 OK '/local/domain/3/data tk')
if [ "$out" = "$want" ]; then pass ox-guest-ring; else fail ox-guest-ring "$out"; fi

# dom0 writes into the guest's watched subtree: the event reaches the ring.
on "$A" xenstore-write /local/domain/3/data/y v2
out=$(echo 'events 1 2000' | guest "$A" 3)
if [ "$out" = "/local/domain/3/data/y tk" ]; then pass ox-watch-event
else fail ox-watch-event "$out"; fi

# A transaction conflicting with a dom0 write ends in EAGAIN.
tx=$(echo tx-start | guest "$A" 3)
id=${tx#tx }
printf '%s\n' "tx-read $id /local/domain/3/data/x" "tx-write $id /local/domain/3/data/x t" |
	guest "$A" 3 >/dev/null
on "$A" xenstore-write /local/domain/3/data/x v3
out=$(echo "tx-end $id" | guest "$A" 3)
if [ "$out" = EAGAIN ] && [ "$(on "$A" xenstore-read /local/domain/3/data/x)" = v3 ]; then
	pass ox-transaction-conflict
else
	fail ox-transaction-conflict "tx-end: $out"
fi

# A guest cannot write outside its home.
out=$(echo 'write /local/domain/0/evil 1' | guest "$A" 3)
if [ "$out" = EACCES ]; then pass ox-guest-perms; else fail ox-guest-perms "$out"; fi

# --- quiesce / unquiesce (the C daemon's semantics, docs/misc/xenstore.txt)
"$X" domain create "$A" 4 --introduce >/dev/null
"$X" domain create "$A" 7 --introduce >/dev/null
expect ox-quiesce-setup OK "$(printf '%s\n' 'watch /local/domain/4/w tk' 'events 1 2000' |
	guest "$A" 4 | head -1)"
expect ox-quiesce-unknown ENOENT "$(ctl "$A" quiesce 9)"
expect ox-quiesce-bad-argument EINVAL "$(ctl "$A" quiesce 4 forever)"
# The quiesce has Xen write the ring page (a grant copy of its last octet
# onto itself), so that log-dirty records what oxenstored wrote into it
# through its foreign mapping, which Xen does not record.
d0=$(cat "$A/hv/dom/4/dirtied" 2>/dev/null || echo 0)
expect ox-quiesce OK "$(ctl "$A" quiesce 4)"
expect ox-quiesce-dirties-ring "dirtied $((d0 + 1))" "dirtied $(cat "$A/hv/dom/4/dirtied" 2>&1)"
expect ox-quiesce-twice-ebusy EBUSY "$(ctl "$A" quiesce 4)"
# When Xen refuses the copy, the quiesce fails and the domain is served.
: > "$A/hv/dom/7/refuse-map"
expect ox-quiesce-ring-not-marked-eio EIO "$(ctl "$A" quiesce 7)"
rm -f "$A/hv/dom/7/refuse-map"
expect ox-quiesce-ring-not-marked-served "$(printf 'OK\n3')" \
	"$(printf 'write /local/domain/7/s 3\nread /local/domain/7/s\n' | guest "$A" 7)"
expect ox-quiesce-ring-not-marked-not-quiesced EBUSY "$(ctl "$A" save-domain 7 "$work/dom7.xsm")"
# While quiesced: a request the guest sends stays unanswered and unrun, an
# event for it is kept, and both survive any number of ring scans.
req=$(echo 'raw-request write /local/domain/4/raw r' | guest "$A" 4)
on "$A" xenstore-write /local/domain/4/w/x 1
sleep 1
expect_error ox-quiesced-request-not-run "couldn't read path" on "$A" xenstore-read /local/domain/4/raw
expect ox-quiesced-nothing-written "" "$(echo events | guest "$A" 4)"
expect ox-unquiesce OK "$(ctl "$A" unquiesce 4)"
if wait_until 5 reads "$A" /local/domain/4/raw r; then pass ox-unquiesce-runs-request
else fail ox-unquiesce-runs-request "${req}: not run after unquiesce"; fi
expect ox-unquiesce-delivers-event "/local/domain/4/w/x tk" "$(echo 'events 1 2000' | guest "$A" 4)"
expect ox-unquiesce-idempotent OK "$(ctl "$A" unquiesce 4)"
expect ox-unquiesce-unknown ENOENT "$(ctl "$A" unquiesce 9)"
# A quiesce of any length keeps every event for the domain: more than the
# 1024 its output queue holds, from sources that have gone away since.
expect ox-quiesce-for-events OK "$(ctl "$A" quiesce 4)"
for b in 0 1 2; do
	# shellcheck disable=SC2046 # 500 PATH VALUE pairs, one write
	on "$A" xenstore-write $(for i in $(seq 500); do echo "/local/domain/4/w/m$b-$i v"; done)
done
expect ox-unquiesce-for-events OK "$(ctl "$A" unquiesce 4)"
expect ox-quiesce-keeps-every-event 1500 \
	"$(echo 'events 1500 10000' | XENSIM_TIMEOUT_MS=20000 guest "$A" 4 | grep -c ' tk$')"

# An owned quiesce ends with the connection that made it (xenstore-control
# exits at once), a plain one does not.
expect ox-quiesce-owned OK "$(ctl "$A" quiesce 7 owned)"
expect ox-quiesce-owned-ends-with-its-connection OK \
	"$(echo 'write /local/domain/7/alive yes' | guest "$A" 7)"
expect ox-quiesce-again-after-owner-left OK "$(ctl "$A" quiesce 7)"
echo 'raw-request write /local/domain/7/late yes' | guest "$A" 7 >/dev/null
sleep 0.5
expect_error ox-quiesce-plain-holds "couldn't read path" on "$A" xenstore-read /local/domain/7/late
expect ox-unquiesce-7 OK "$(ctl "$A" unquiesce 7)"
if wait_until 5 reads "$A" /local/domain/7/late yes; then pass ox-unquiesce-7-runs-request
else fail ox-unquiesce-7-runs-request "not run after unquiesce"; fi

# --- save-domain: the C daemon's stream ---------------------------------
# The same guest on fresh hosts O (oxenstored) and C (C xenstored, patched):
# nodes with permissions, a relative and an absolute watch, an open
# transaction, a watch event and a half-sent request pending.  Both streams
# must hold the same records, byte for byte, but for the order of nodes
# within a level and of watches (each daemon keeps its own) and for the
# nodes C writes for its transaction's accesses (oxenstored has none).
# Permissions name only existing domains: C flags the others as stale.
C=$work/c O=$work/o
testlib_host "$C"
testlib_host "$O"
XENSIM_XENSTORED=$build/xenstored-patched "$X" host start "$C" >/dev/null ||
	fail host-c "$(cat "$C/xenstored.log")"
"$X" host start "$O" >/dev/null || fail host-o "$(cat "$O/xenstored.log")"
save_scenario() {	# HOST OUT
	local h=$1 out=$2
	"$X" domain create "$h" 5 --introduce >/dev/null
	printf '%s\n' 'write /local/domain/5/data/a 1' 'write /local/domain/5/data/b two' \
		'mkdir /local/domain/5/data/c' 'setperms /local/domain/5/data/b n5 r0' \
		'watch data rel' 'watch /local/domain/5/data/a abs' 'events 2 2000' \
		'tx-start' | "$X" guest "$h" 5 >/dev/null 2>&1
	echo 'partial-request write /local/domain/5/data/half v' |
		"$X" guest "$h" 5 >/dev/null 2>&1
	sleep 0.3
	on "$h" "$XC" quiesce 5 >/dev/null
	on "$h" xenstore-write /local/domain/5/data/a 3
	on "$h" "$XC" save-domain 5 "$out" /local/domain/5 2>&1
}
# (Upstream oxenstored answers OK to any control command it does not know.)
expect ox-save-domain "OK written" "$(save_scenario "$O" "$work/ox.xsm") $(
	[ -s "$work/ox.xsm" ] && echo written)"
expect c-save-domain "OK written" "$(save_scenario "$C" "$work/c.xsm") $(
	[ -s "$work/c.xsm" ] && echo written)"
cmp_out=$(python3 - "$work/ox.xsm" "$work/c.xsm" 2>&1 <<'EOF'
import struct, sys
def records(path):
    d = open(path, "rb").read()
    out, off = [], 16
    while off < len(d):
        ty, ln = struct.unpack_from("<II", d, off)
        body = d[off + 8:off + 8 + ln]
        off += 8 + ln
        if ty == 5 and struct.unpack_from("<I", body)[0] != 0:
            continue  # a node accessed in a transaction (C only)
        if ty == 2 and struct.unpack_from("<H", body, 16)[0] >= 8:
            # the guest picks its request ids: mask the half-sent one's
            body = body[:28] + b"\0" * 4 + body[32:]
        out.append((ty, body))
    return d[:16], out
(pa, ra), (pc, rc) = records(sys.argv[1]), records(sys.argv[2])
names = {0: "END", 2: "CONN", 3: "WATCH", 4: "TA", 5: "NODE"}
if pa != pc:
    print("preamble", pa.hex(), pc.hex())
if [t for t, _ in ra] != [t for t, _ in rc]:
    print("record types", [names[t] for t, _ in ra], [names[t] for t, _ in rc])
for rec in sorted(set(ra) ^ set(rc)):
    print("only in", "ox" if rec in ra else "C", names[rec[0]], rec[1])
print("same" if not (pa != pc or sorted(ra) != sorted(rc)) else "differ", len(ra))
EOF
)
case "$cmp_out" in
"same "*) pass "ox-save-same-records-as-c" ;;
*) fail ox-save-same-records-as-c "$(echo "$cmp_out" | tr '\n' '|')" ;;
esac
if "$XSM" verify "$work/ox.xsm" >"$work/verify.out" 2>&1; then pass ox-save-verifies
else fail ox-save-verifies "$(cat "$work/verify.out")"; fi
# The file passed with the request (SCM_RIGHTS) when FILE is empty: the same
# bytes as the named file; a file with contents, or none passed, is refused.
xs_passfd() {	# SOCKET FILE|- ARGS...: XS_CONTROL with FILE passed; prints the reply
	python3 - "$@" <<'EOF'
import os, socket, struct, sys
sock, path, args = sys.argv[1], sys.argv[2], sys.argv[3:]
body = b"".join(a.encode() + b"\0" for a in args)
msg = struct.pack("<IIII", 0, 7, 0, len(body)) + body
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sock)
if path == "-":
    s.sendall(msg)
else:
    fd = os.open(path, os.O_RDWR)
    socket.send_fds(s, [msg], [fd])
    os.close(fd)
hdr = b""
while len(hdr) < 16:
    hdr += s.recv(16 - len(hdr))
ty, _, _, ln = struct.unpack("<IIII", hdr)
data = b""
while len(data) < ln:
    data += s.recv(ln - len(data))
print(data.rstrip(b"\0").decode())
EOF
}
: > "$work/passed.xsm"
expect ox-save-passed-file OK \
	"$(xs_passfd "$O/run/socket" "$work/passed.xsm" save-domain 5 "" /local/domain/5)"
if cmp -s "$work/passed.xsm" "$work/ox.xsm"; then pass ox-save-passed-file-same-bytes
else fail ox-save-passed-file-same-bytes "$(cmp "$work/passed.xsm" "$work/ox.xsm" 2>&1)"; fi
echo x > "$work/full.xsm"
expect ox-save-passed-file-not-empty EINVAL \
	"$(xs_passfd "$O/run/socket" "$work/full.xsm" save-domain 5 "" /local/domain/5)"
expect ox-save-passed-file-not-empty-untouched x "$(cat "$work/full.xsm")"
expect ox-save-no-passed-file EINVAL \
	"$(xs_passfd "$O/run/socket" - save-domain 5 "" /local/domain/5)"

# The project's own client drives oxenstored: "help" lists the commands,
# so xsmigrate save (quiesce owned, save-domain with the file passed)
# works as with C xenstored, and leaves the domain quiesced.
"$X" domain create "$O" 6 --introduce >/dev/null
echo 'write /local/domain/6/data/k v6' | "$X" guest "$O" 6 >/dev/null 2>&1
case "$(ctl "$O" help)" in
*save-domain*) pass ox-help-lists-save-domain ;;
*) fail ox-help-lists-save-domain "$(ctl "$O" help | tr '\n' '|')" ;;
esac
if xsm "$O" save --domid 6 -o "$work/cli6.xsm" \
	>"$work/cli.out" 2>&1 && "$XSM" verify "$work/cli6.xsm" >>"$work/cli.out" 2>&1 &&
	"$XSM" dump "$work/cli6.xsm" 2>&1 | grep -q /local/domain/6/data/k; then
	pass ox-xsmigrate-save
else
	fail ox-xsmigrate-save "$(tr '\n' '|' < "$work/cli.out")"
fi
expect ox-xsmigrate-save-leaves-quiesced EBUSY "$(ctl "$O" quiesce 6)"
# xsmigrate restore into oxenstored: the library sees restore-domain in
# "help" and oxenstored's limits in "quota", and the guest, moved to a
# new domid, reads its node.
port8=$("$X" domain create "$O" 8 | sed -n 's/^port //p')
receiving_home "$O" 8 || fail ox-receiving-home-8 "toolstack.py failed"
xsm "$O" restore --domid 8 --from-domid 6 --port "$port8" \
	"$work/cli6.xsm" >"$work/cli.out" 2>&1
expect ox-xsmigrate-restore "0 v6" "$? $(echo "read /local/domain/8/data/k" | guest "$O" 8)"

expect ox-save-not-quiesced EBUSY "$(ctl "$A" save-domain 4 "$work/ox4.xsm" /local/domain/4)"
expect ox-save-exists EEXIST "$(ctl "$O" save-domain 5 "$work/ox.xsm" /local/domain/5)"

# --- restore-domain: the stream between the daemons (its own file) ----
# shellcheck source=check-ox-restore.sh
. "$(dirname "$0")/check-ox-restore.sh"

# The domain dies: oxenstored fires @releaseDomain (after the initial event).
on "$A" xenstore-watch -n 2 @releaseDomain > "$work/release" 2>&1 &
w=$!
sleep 0.3
"$X" domain destroy "$A" 3
wait "$w"
if [ "$(grep -c '^@releaseDomain' "$work/release")" = 2 ]; then
	pass ox-release-domain
else
	fail ox-release-domain "$(cat "$work/release")"
fi

pid=$(cat "$A/xenstored.pid")
if kill -0 "$pid"; then pass daemon-alive; else fail daemon-alive "oxenstored died"; fi

[ "$failed" = 0 ]
