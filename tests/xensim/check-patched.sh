#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# check-patched: the xenstored patches' CONTROL commands on simulated hosts.
#
# Tests of the xsmigrate xenstored patches (libxl-patches/series): the
# quiesce, unquiesce, save-domain and restore-domain CONTROL commands, on
# two simulated hosts A and B running xenstored-patched.
#
# Usage: check-patched.sh COUNTS-FILE
# Prints "PASS name" / "FAIL name: why" per check and writes "<passed>
# <failed>" to COUNTS-FILE.  Every wait is bounded (xensim's by
# XENSIM_TIMEOUT_MS, other clients by timeout(1), polls by wait_until), and the
# hosts are always stopped on exit.
set -u

counts=${1:?usage: check-patched.sh COUNTS-FILE}
build=$(cd "${XENSIM_BUILD:-build/xensim}" && pwd)
X=$build/xensim
XSM=${XSM_BIN:-build/bin}/xsmigrate
export XENSIM_TIMEOUT_MS=${XENSIM_TIMEOUT_MS:-5000}
export XENSIM_XENSTORED=${XENSIM_XENSTORED:-$build/xenstored-patched}

# shellcheck source=../lib/testlib.sh
. "$(dirname "$0")/../lib/testlib.sh"
testlib_begin "$counts" xsm-patched
A=$work/a
B=$work/b
F=$work/dom5.xsm
testlib_host "$A"
testlib_host "$B"
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
if [ -e "$F" ]
then fail save-not-quiesced-no-file "$F written"
else pass save-not-quiesced-no-file
fi
expect quiesce-unknown ENOENT "$(ctl "$A" quiesce 9)"
# The quiesce maps the ring again and drops the old mapping, so that
# log-dirty records the page (Xen marks it dirty when a grant mapping goes).
u0=$(cat "$A/hv/dom/5/unmapped" 2>/dev/null || echo 0)
expect quiesce OK "$(ctl "$A" quiesce 5)"
expect quiesce-remaps-ring "unmapped $((u0 + 1)) mapped 1" \
	"unmapped $(cat "$A/hv/dom/5/unmapped" 2>&1) mapped $(cat "$A/hv/dom/5/mapped" 2>&1)"
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
rec() {
	if grep -qxF "$1" "$work/records.txt"
	then pass "$2"
	else fail "$2" "no '$1' in $(tr '\n' '|' < "$work/records.txt")"
	fi
}
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
if echo "/local/domain/5 - n5" | toolstack_write "$B/run/socket"
then pass receiving-home
else fail receiving-home "toolstack.py failed"
fi
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
wait_until 5 reads "$B" /local/domain/5/data/raw r
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
wait_until 5 reads "$A" /local/domain/6/q 1
expect unquiesce-resumes 1 "$(on "$A" xenstore-read /local/domain/6/q 2>&1)"
expect unquiesced-guest "$(printf 'OK\n1')" "$(printf 'write /local/domain/6/r 2\nread /local/domain/6/q\n' | guest "$A" 6)"
expect save-after-unquiesce EBUSY "$(ctl "$A" save-domain 6 "$work/dom6.xsm")"
# A ring that cannot be mapped again: the quiesce fails with that error,
# the old mapping stays and the domain is still served.
: > "$A/hv/dom/6/refuse-map"
expect quiesce-remap-fails EACCES "$(ctl "$A" quiesce 6)"
rm -f "$A/hv/dom/6/refuse-map"
expect quiesce-remap-fails-keeps-ring 1 "$(cat "$A/hv/dom/6/mapped" 2>&1)"
expect quiesce-remap-fails-serves "$(printf 'OK\n2')" \
	"$(printf 'write /local/domain/6/s 3\nread /local/domain/6/r\n' | guest "$A" 6)"
expect quiesce-remap-fails-not-quiesced EBUSY "$(ctl "$A" save-domain 6 "$work/dom6.xsm")"

# The receiving toolstack's home for a domain, as for domain 5 above.
receiving_home() {	# HOST DOMID
	echo "/local/domain/$2 - n$2" | toolstack_write "$1/run/socket"
}
# --- a quiesce is respected by everything ----------------------------------
# A restore left quiesced runs nothing, not even complete requests in the
# stream's pending input; released, it runs them in the order they came.
"$X" domain create "$A" 20 --introduce >/dev/null
expect quiesced-input-setup OK "$(echo 'write /local/domain/20/data/t g0' | guest "$A" 20)"
expect quiesce-20 OK "$(ctl "$A" quiesce 20)"
expect save-20 OK "$(ctl "$A" save-domain 20 "$work/dom20.xsm" /local/domain/20)"
# Two complete XS_WRITEs (type 11, req ids 901 and 902) as the pending input.
python3 - "$work/dom20.xsm" "$work/dom20-in.xsm" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
reqs = b""
for rid, val in ((901, b"g1"), (902, b"g2")):
    body = b"/local/domain/20/data/t\0" + val
    reqs += struct.pack("<IIII", 11, rid, 0, len(body)) + body
out, off = bytearray(data[:16]), 16
while off < len(data):
    rtype, length = struct.unpack_from("<II", data, off)
    body = data[off + 8:off + 8 + length]
    off += 8 + length
    if rtype == 2:
        din, dresp, dout = struct.unpack_from("<HHI", body, 16)
        assert din == 0 and dresp == 0
        body = body[:16] + struct.pack("<HHI", len(reqs), 0, dout) + reqs + body[24:24 + dout]
        body += bytes(-len(body) % 8)
    out += struct.pack("<II", rtype, len(body)) + body
open(sys.argv[2], "wb").write(out)
PY
port=$("$X" domain move "$A" "$B" 20 | sed -n 's/^port //p')
receiving_home "$B" 20 || fail receiving-home-20 "toolstack.py failed"
expect restore-quiesced OK "$(ctl "$B" restore-domain 20 0xfeffc "$port" "$work/dom20-in.xsm" quiesced trusted)"
sleep 0.5
expect restore-quiesced-runs-no-input g0 "$(on "$B" xenstore-read /local/domain/20/data/t 2>&1)"
expect restore-quiesced-answers-nothing 0 "$(ring_replies "$B/hv/dom/20/ring" 901)"
expect unquiesce-20 OK "$(ctl "$B" unquiesce 20)"
both_answered() { [ "$(ring_replies "$B/hv/dom/20/ring" 901)$(ring_replies "$B/hv/dom/20/ring" 902)" = 11 ]; }
wait_until 5 both_answered
expect released-input-answered "1 1" "$(ring_replies "$B/hv/dom/20/ring" 901) $(ring_replies "$B/hv/dom/20/ring" 902)"
expect released-input-in-arrival-order g2 "$(on "$B" xenstore-read /local/domain/20/data/t 2>&1)"

# A quiesce of any length keeps the guest's watch events: their timeout
# (here 2 s) starts when the domain is released, on the source and on a
# restored domain alike.
printf '#!/bin/sh\nexec %s -w watch-event=2 "$@"\n' "$XENSIM_XENSTORED" > "$work/xenstored-w2"
chmod +x "$work/xenstored-w2"
E=$work/e; Fh=$work/f
testlib_host "$E"; testlib_host "$Fh"
XENSIM_XENSTORED=$work/xenstored-w2 "$X" host start "$E" >/dev/null || fail host-e "$(cat "$E/xenstored.log")"
XENSIM_XENSTORED=$work/xenstored-w2 "$X" host start "$Fh" >/dev/null || fail host-f "$(cat "$Fh/xenstored.log")"
for d in 30 31; do
	"$X" domain create "$E" $d --introduce >/dev/null
	expect "watch-$d" "$(printf 'OK\n/local/domain/%s tok' $d)" \
		"$(printf 'watch /local/domain/%s tok\nevents 1 2000\n' $d | guest "$E" $d)"
	expect "quiesce-$d" OK "$(ctl "$E" quiesce $d)"
	on "$E" xenstore-write /local/domain/$d/ev 1
done
expect save-31 OK "$(ctl "$E" save-domain 31 "$work/dom31.xsm" /local/domain/31)"
port=$("$X" domain move "$E" "$Fh" 31 | sed -n 's/^port //p')
receiving_home "$Fh" 31 || fail receiving-home-31 "toolstack.py failed"
expect restore-31-quiesced OK "$(ctl "$Fh" restore-domain 31 0xfeffc "$port" "$work/dom31.xsm" quiesced trusted)"
sleep 3.5
expect unquiesce-30 OK "$(ctl "$E" unquiesce 30)"
expect unquiesce-31 OK "$(ctl "$Fh" unquiesce 31)"
expect long-quiesce-keeps-event "/local/domain/30/ev tok" "$(echo 'events 1 3000' | guest "$E" 30)"
expect long-quiesce-keeps-restored-event "/local/domain/31/ev tok" "$(echo 'events 1 3000' | guest "$Fh" 31)"

# Live update does not carry a quiesce: it is refused while a domain is
# quiesced (a save handed it off, or a restore waits for its toolstack).
G=$work/g
testlib_host "$G"
"$X" host start "$G" >/dev/null || fail host-g "$(cat "$G/xenstored.log")"
"$X" domain create "$G" 40 --introduce >/dev/null
expect quiesce-40 OK "$(ctl "$G" quiesce 40)"
expect save-40 OK "$(ctl "$G" save-domain 40 "$work/dom40.xsm")"
# save-domain creates its file: one that exists (anyone's) stays as it is.
echo keep > "$work/exists"
expect save-to-existing-file EEXIST "$(ctl "$G" save-domain 40 "$work/exists")"
expect save-to-existing-file-untouched keep "$(cat "$work/exists")"
"$X" host live-update "$G" --capture "$work/lu40.xsm" >"$work/lu40.out" 2>&1
expect live-update-refused-while-quiesced "1 1" "$? $(grep -c 'Domain 40: quiesced' "$work/lu40.out")"
unanswered=$(echo 'read /local/domain/40' | XENSIM_TIMEOUT_MS=1000 "$X" guest "$G" 40 >/dev/null 2>&1 && echo answered || echo unanswered)
expect handed-off-domain-stays-quiesced unanswered "$unanswered"
expect unquiesce-40 OK "$(ctl "$G" unquiesce 40)"
if "$X" host live-update "$G" --capture "$work/lu40.xsm" >"$work/lu40.out" 2>&1
then pass live-update-after-release
else fail live-update-after-release "$(tr '\n' '|' < "$work/lu40.out")"; fi

# One node far below ancestors the stream does not hold (a save of one deep
# subtree): restore-domain creates them as dom0's XS_WRITE would, many
# more entries than the stream has nodes.
deep=/local/domain/41/deep
for i in $(seq 24); do deep=$deep/l$i; done
"$X" domain create "$G" 41 --introduce >/dev/null
on "$G" xenstore-write "$deep" v41
# dom0's own, as only dom0's nodes may have missing ancestors
on "$G" xenstore-chmod "$deep" n0
expect quiesce-41 OK "$(ctl "$G" quiesce 41)"
expect save-41-deep-subtree OK "$(ctl "$G" save-domain 41 "$work/dom41.xsm" "$deep")"
port=$("$X" domain move "$G" "$B" 41 | sed -n 's/^port //p')
receiving_home "$B" 41 || fail receiving-home-41 "toolstack.py failed"
expect restore-below-missing-ancestors OK "$(ctl "$B" restore-domain 41 0xfeffc "$port" "$work/dom41.xsm" trusted)"
expect restored-deep-node v41 "$(on "$B" xenstore-read "$deep" 2>&1)"
# Created as dom0's XS_WRITE creates them, each with its parent's
# permissions: the first (deep) and the last (l23) have the home's.
l22=${deep%/l23/l24}
expect restored-missing-ancestors-inherit "n41 n41" \
	"$(on "$B" xenstore-ls -p "$l22" 2>&1 | sed -n 's/.*(\(n[0-9]*\))$/\1/p' | head -n 1) $(on "$B" xenstore-ls -p /local/domain/41 2>&1 | sed -n '1s/.*(\(n[0-9]*\))$/\1/p')"

# Xen's own functional test of xenstored (Debian's xen-utils-4.17), against
# the patched daemon: nothing of the series changes what it checks.
TX=${TEST_XENSTORE:-/usr/lib/xen-4.17/bin/test-xenstore}
if [ -x "$TX" ]; then
	out=$(XENSTORED_PATH=$B/run/socket timeout 300 "$TX" 2>&1)
	rc=$?
	if [ $rc = 0 ]
	then pass test-xenstore
	else fail test-xenstore "status $rc: $(echo "$out" | tail -n 3 | tr '\n' '|')"
	fi
else
	fail test-xenstore "$TX not installed (xen-utils-4.17)"
fi

pid_a=$(cat "$A/xenstored.pid"); pid_b=$(cat "$B/xenstored.pid")
if kill -0 "$pid_a" && kill -0 "$pid_b"
then pass daemons-alive
else fail daemons-alive "a xenstored died"
fi

[ "$failed" = 0 ]
