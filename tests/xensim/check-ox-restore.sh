# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# check-ox's restore-domain part (sourced by check-ox.sh).
#
# With check-ox.sh's helpers, hosts and counts: a domain's state moved
# between C xenstored and oxenstored through the same stream, the shared
# rule table, hostile streams, and Xen's test-xenstore against the
# patched oxenstored.
: "${work:?sourced by check-ox.sh}" "${build:?sourced by check-ox.sh}"

# --- restore-domain: the stream between the daemons ----------------------
# One guest moved between each pair of daemons (C xenstored-patched, ox):
# set up on the source (nodes with permissions, a relative and an absolute
# watch, an open transaction, a half-sent request), quiesced, an event
# queued, saved (its data subtree: untrusted), moved and restored on the
# destination.  What the guest sees there must be what it sees after C -> C.
HC1=$work/hc1 HC2=$work/hc2 HO1=$work/ho1 HO2=$work/ho2
for h in "$HC1" "$HC2" "$HO1" "$HO2"; do testlib_host "$h"; done
for h in "$HC1" "$HC2"; do
	XENSIM_XENSTORED=$build/xenstored-patched "$X" host start "$h" >/dev/null ||
		fail "host-$(basename "$h")" "$(cat "$h/xenstored.log")"
done
for h in "$HO1" "$HO2"; do
	"$X" host start "$h" >/dev/null || fail "host-$(basename "$h")" "$(cat "$h/xenstored.log")"
done
half_body() { printf '/local/domain/%s/data/half\0v' "$1"; }
move_guest() {	# SRC DST DOMID FILE: prints the guest's tx id, then the daemons' answers
	local s=$1 d=$2 id=$3 f=$4 port
	"$X" domain create "$s" "$id" --introduce >/dev/null
	printf '%s\n' "write /local/domain/$id/data/a 1" "write /local/domain/$id/data/b two" \
		"setperms /local/domain/$id/data/b n$id r0" 'watch data rel' \
		"watch /local/domain/$id/data/a abs" 'events 2 2000' 'tx-start' |
		guest "$s" "$id" | sed -n 's/^tx //p'
	echo "partial-request write /local/domain/$id/data/half v" | guest "$s" "$id" >/dev/null
	sleep 0.3
	ctl "$s" quiesce "$id"
	on "$s" xenstore-write "/local/domain/$id/data/a" 3
	ctl "$s" save-domain "$id" "$f" "/local/domain/$id/data"
	port=$("$X" domain move "$s" "$d" "$id" | sed -n 's/^port //p')
	receiving_home "$d" "$id" || echo "receiving home failed"
	ctl "$d" restore-domain "$id" 0xfeffc "$port" "$f"
}
# The rest of the half-sent request, put on the ring as the guest's kernel
# would; the next request's notification makes the daemon read both.
ring_append() {	# RING: stdin's octets after the request ring's producer
	"$PY" -c '
import struct, sys
data = sys.stdin.buffer.read()
with open(sys.argv[1], "r+b") as f:
    cons, prod = struct.unpack("<II", f.read(2056)[2048:2056])
    for i, b in enumerate(data):
        f.seek((prod + i) % 1024)
        f.write(bytes([b]))
    f.seek(2052)
    f.write(struct.pack("<I", prod + len(data)))
' "$1"
}
moved_guest() {	# HOST DOMID TXID: what the moved guest sees, its domid as D
	local h=$1 id=$2 tx=$3
	{
		echo 'events 2 2000' | guest "$h" "$id" | sort
		sleep 0.3
		echo "no new event: [$(echo events | guest "$h" "$id")]"
		# Before any new request: the daemon reads on from the half.
		half_body "$id" | tail -c +$(( $(half_body "$id" | wc -c) / 2 + 1 )) |
			ring_append "$h/hv/dom/$id/ring"
		printf '%s\n' "getperms /local/domain/$id/data/b" "read /local/domain/$id/data/a" \
			"tx-end $tx" 'tx-start' "read /local/domain/$id/data/half" 'events 1 2000' |
			guest "$h" "$id"
		on "$h" xenstore-write "/local/domain/$id/data/a" 4
		echo 'events 2 2000' | guest "$h" "$id" | sort
		printf '%s\n' 'watch data rel' 'events 1 2000' 'watch data rel' |
			guest "$h" "$id"
		on "$h" xenstore-ls -p "/local/domain/$id/data" 2>&1 |
			tr -s ' .' ' ' | sort | sed 's/^/dom0 reads: /'
	} | sed "s,/local/domain/$id,/local/domain/D,g; s/\([nrwb]\)$id\b/\1D/g"
}
# round_trip NAME SRC DST DOMID: the move, then the guest's transcript.
round_trip() {
	local name=$1 out tx
	out=$(move_guest "$2" "$3" "$4" "$work/$name.xsm")
	tx=$(echo "$out" | head -1)
	expect "$name-restored" "OK OK OK" "$(echo "$out" | tail -n +2 | tr '\n' ' ' | sed 's/ $//')"
	moved_guest "$3" "$4" "$tx" > "$work/$name.seen"
}
round_trip c-to-c "$HC1" "$HC2" 11
round_trip c-to-ox "$HC1" "$HO1" 12
round_trip ox-to-c "$HO2" "$HC2" 13
round_trip ox-to-ox "$HO2" "$HO1" 14
# C -> C itself must show the properties compared: the events queued while
# quiesced, no new initial event, the node and its permissions, EAGAIN and
# a fresh transaction id, the half-sent request done, the watches firing,
# a restored watch registered again once (initial event), not twice.
want_cc=$(printf '%s\n' '/local/domain/D/data/a abs' 'data/a rel' 'no new event: []' \
	'nD r0' 3 EAGAIN 'tx 2' v 'data/half rel' '/local/domain/D/data/a abs' 'data/a rel' \
	OK 'data rel' EEXIST 'dom0 reads: a = "4" (nD)' 'dom0 reads: b = "two" (nD,r0)' \
	'dom0 reads: half = "v" (nD)')
if [ "$(cat "$work/c-to-c.seen")" = "$want_cc" ]; then pass c-to-c-guest-sees
else fail c-to-c-guest-sees "$(tr '\n' '|' < "$work/c-to-c.seen")"; fi
for t in c-to-ox ox-to-c ox-to-ox; do
	if cmp -s "$work/c-to-c.seen" "$work/$t.seen"; then pass "$t-same-as-c-to-c"
	else fail "$t-same-as-c-to-c" "$(diff "$work/c-to-c.seen" "$work/$t.seen" | tr '\n' '|')"; fi
done

# C -> ox -> C: the domain restored on ox is saved again there and goes
# back to a C daemon through the same stream: its nodes, permissions, a
# transaction opened on ox (EAGAIN) and an event queued on ox arrive.
tx=$(echo 'tx-start' | guest "$HO1" 12 | sed -n 's/^tx //p')
expect c-ox-c-quiesce OK "$(ctl "$HO1" quiesce 12)"
on "$HO1" xenstore-write /local/domain/12/data/a 5
expect c-ox-c-save OK "$(ctl "$HO1" save-domain 12 "$work/c-ox.xsm" /local/domain/12/data)"
port=$("$X" domain move "$HO1" "$HC2" 12 | sed -n 's/^port //p')
receiving_home "$HC2" 12 || fail c-ox-c-home "toolstack.py failed"
expect c-ox-c-restore OK "$(ctl "$HC2" restore-domain 12 0xfeffc "$port" "$work/c-ox.xsm")"
out=$(printf '%s\n' 'events 2 2000' "tx-end $tx" 'getperms /local/domain/12/data/b' \
	'read /local/domain/12/data/half' | guest "$HC2" 12)
expect c-ox-c-guest "$(printf '%s\n' '/local/domain/12/data/a abs' 'data/a rel' EAGAIN 'n12 r0' v)" \
	"$(echo "$out" | head -2 | sort; echo "$out" | tail -n +3)"

# The rule's table (tests/vectors/restore-rule-cases), each case handed to
# oxenstored's restore-domain directly: the C daemon's decisions.
RULE_CASES_LOG=$HO2/run/oxenstored.log timeout 300 "$PY" "$(dirname "$0")/../integration/rule_cases.py" \
	"$(dirname "$0")/../vectors/restore-rule-cases" "$X" "$HO2" 200 > "$work/rules.out" 2>&1
n=$(grep -c '^PASS ' "$work/rules.out")
cases=$(grep -cv '^\(#\|$\)' "$(dirname "$0")/../vectors/restore-rule-cases")
if [ "$n" = "$cases" ]; then pass "ox-rule-cases-$n"
else fail ox-rule-cases "$n/$cases: $(grep -v '^PASS ' "$work/rules.out" | tr '\n' '|')"; fi

# Hostile streams: refused, nothing applied, the domain not introduced
# (a good stream is taken afterwards, once).
port=$("$X" domain create "$HO1" 40 | sed -n 's/^port //p')
receiving_home "$HO1" 40 || fail ox-hostile-home "toolstack.py failed"
on "$HO1" xenstore-ls -p > "$work/ho1-before.txt" 2>&1
"$PY" - "$work" 40 <<'PY'
import struct, sys
work, d = sys.argv[1], int(sys.argv[2])
def rec(t, b):
    b += bytes(-len(b) % 8)
    return struct.pack("<II", t, len(b)) + b
def node(path, perms, value=b"v"):
    p = path.encode() + b"\0"
    body = struct.pack("<IIHHHH", 0, 0, len(p), len(value), 0, len(perms))
    body += b"".join(struct.pack("<BBH", ord(a), 0, i) for a, i in perms)
    return rec(5, body + p + value)
pre = b"xenstore" + struct.pack(">I", 1) + struct.pack("<I", 0)
conn = rec(2, struct.pack("<IHHHHIHHI", 1, 0, 0, d, 0x7ff4, 1, 0, 0, 0))
home = "/local/domain/%d" % d
ours = node(home + "/g", [("n", d)])
good = pre + conn + ours + rec(0, b"")
streams = {
    "garbage": b"xenstore" + bytes(range(256)) * 4,
    "other-owner": pre + conn + ours + node(home + "/h", [("n", 0)]) + rec(0, b""),
    "other-home": pre + conn + ours + node("/local/domain/0/evil", [("n", d)]) + rec(0, b""),
    "truncated": good[:len(good) - 12],
    "no-end": good[:-8],
    "bad-watch": pre + conn + ours + rec(3, struct.pack("<IHH", 1, 3, 2) + b"a/\0t\0") +
                 rec(0, b""),
    "good": good,
}
for name, data in streams.items():
    open("%s/hostile-%s.xsm" % (work, name), "wb").write(data)
PY
for c in garbage:EINVAL other-owner:EACCES other-home:EACCES truncated:EINVAL \
	no-end:EINVAL bad-watch:EINVAL; do
	expect "ox-hostile-${c%%:*}" "${c#*:} same" \
		"$(ctl "$HO1" restore-domain 40 0xfeffc "$port" "$work/hostile-${c%%:*}.xsm") $(
		on "$HO1" xenstore-ls -p 2>&1 | cmp -s - "$work/ho1-before.txt" &&
		echo same)"
done
expect ox-hostile-then-good "OK v" \
	"$(ctl "$HO1" restore-domain 40 0xfeffc "$port" "$work/hostile-good.xsm") $(
	echo "read /local/domain/40/g" | guest "$HO1" 40 2>&1)"
expect ox-restore-twice EEXIST \
	"$(ctl "$HO1" restore-domain 40 0xfeffc "$port" "$work/hostile-good.xsm")"

# Xen's own functional test of xenstored (Debian's xen-utils-4.17)
# against the patched oxenstored: nothing of the series changes it.
TX=${TEST_XENSTORE:-/usr/lib/xen-4.17/bin/test-xenstore}
if [ -x "$TX" ]; then
	out=$(XENSTORED_PATH=$HO2/run/socket timeout 300 "$TX" 2>&1)
	rc=$?
	if [ $rc = 0 ]; then pass ox-test-xenstore
	else fail ox-test-xenstore "status $rc: $(echo "$out" | tail -n 3 | tr '\n' '|')"; fi
else
	fail ox-test-xenstore "$TX not installed (xen-utils-4.17)"
fi
