#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only
# check-engine: xsmigrate save and restore end to end on simulated hosts.
#
# Per-domain save and restore against real xenstored (the patched daemon
# on tests/xensim's simulated hypervisor), driven as an admin would: the
# xsmigrate save / restore commands on two hosts A and B.
#
# Usage: check-engine.sh COUNTS-FILE
# Prints "PASS name" / "FAIL name: why" per check, writes "<passed>
# <failed>" to COUNTS-FILE.  Every wait is bounded; hosts are always stopped.
set -u

counts=${1:?usage: check-engine.sh COUNTS-FILE}
here=$(cd "$(dirname "$0")" && pwd)
X=$(cd "${XENSIM_BUILD:-build/xensim}" && pwd)/xensim
XSM=$(cd "${XSM_BIN:-build/bin}" && pwd)/xsmigrate
export XENSIM_TIMEOUT_MS=${XENSIM_TIMEOUT_MS:-5000}

# shellcheck source=../lib/testlib.sh
. "$here/../lib/testlib.sh"
testlib_begin "$counts" xsm-engine
A=$work/a
B=$work/b
export XSM_STATE_DIR=$work
testlib_host "$A"
testlib_host "$B"

"$X" host start "$A" >/dev/null || { fail host-a "$(cat "$A/xenstored.log")"; exit 1; }
"$X" host start "$B" >/dev/null || { fail host-b "$(cat "$B/xenstored.log")"; exit 1; }

# --- the acceptance scenario ------------------------------------------
"$X" domain create "$A" 5 --introduce >/dev/null
out=$(guest "$A" 5 <<'EOF2'
write /local/domain/5/data/x 1
setperms /local/domain/5/data/x n5 r0
watch /local/domain/5/data tok
tx-start
tx-write 1 /local/domain/5/data/y 2
getperms /local/domain/5/data/x
EOF2
)
expect guest-a-setup "$(printf 'OK\nOK\nOK\ntx 1\nOK\nn5 r0')" "$out"
perms_a=$(echo "getperms /local/domain/5/data/x" | guest "$A" 5)
echo "events 1 2000" | guest "$A" 5 >/dev/null	# the watch's initial event

if xsm "$A" save --domid 5 -o "$work/s.xsm" 2>"$work/save.err"
then pass save
else fail save "$(cat "$work/save.err")"
fi
"$XSM" dump --json "$work/s.xsm" > "$work/s.json" 2>&1
if python3 - "$work/s.json" <<'EOF2'
import json, sys
r = json.load(open(sys.argv[1]))["records"]
types = [x["type"] for x in r]
conn = [x for x in r if x["type"] == "CONNECTION_DATA"]
assert len(conn) == 1 and conn[0]["domid"] == 5 and conn[0]["conn-type"] == "ring", conn
assert any(x["type"] == "WATCH_DATA" and x["wpath"] == "/local/domain/5/data" and x["token"] == "tok" for x in r)
assert any(x["type"] == "TRANSACTION_DATA" and x["tx-id"] == 1 for x in r)
assert any(x["type"] == "NODE_DATA" and x["path"] == "/local/domain/5/data/x" and x["value"] == "1" for x in r)
assert types[-1] == "END"
EOF2
then pass saved-stream-content
else fail saved-stream-content "$(head -c 400 "$work/s.json")"
fi

# A request the guest leaves on its ring after the save is for B to answer.
req=$(echo "raw-request read /local/domain/5/data/x" | guest "$A" 5 | sed -n 's/^req //p')
sleep 0.3
expect quiesced-request-unanswered-on-a 0 "$(ring_octets "$A/hv/dom/5/ring" rsp 2>&1 || echo "python failed: $?")"
port=$("$X" domain move "$A" "$B" 5 | sed -n 's/^port //p')
if [ -n "$port" ]
then pass domain-move
else fail domain-move "no port"
fi
home "$B" 5 "$port"
if xsm "$B" restore --domid 5 --port "$port" "$work/s.xsm" 2>"$work/restore.err"
then pass restore
else fail restore "$(cat "$work/restore.err")"
fi

# The guest client reports a reply to a request it did not wait for.
echo 'read /local/domain/5/data/x' | "$X" guest "$B" 5 >/dev/null 2>"$work/drop1.err"
echo 'read /local/domain/5/data/x' | "$X" guest "$B" 5 >/dev/null 2>"$work/drop2.err"
expect left-request-answered-once "1 0" \
	"$(grep -c "dropping reply to request $req " "$work/drop1.err") $(grep -c dropping "$work/drop2.err")"
expect tx-end-eagain "EAGAIN" "$(echo 'tx-end 1' | guest "$B" 5)"
expect node-restored "1" "$(echo 'read /local/domain/5/data/x' | guest "$B" 5)"
expect perms-restored "$perms_a" "$(echo 'getperms /local/domain/5/data/x' | guest "$B" 5)"
expect pending-node-not-committed "ENOENT" "$(echo 'read /local/domain/5/data/y' | guest "$B" 5)"
on "$B" xenstore-write /local/domain/5/data/x 3
expect watch-rearmed "/local/domain/5/data/x tok" "$(echo 'events 1 3000' | guest "$B" 5)"
expect no-initial-event-replayed "" "$(echo 'events' | guest "$B" 5 || echo "guest failed: $?")"
# A guest told it moved (Linux on resume) registers its watches again:
# that succeeds once, as a new registration, initial event included, and
# the watch still fires once per change.
expect restored-watch-registered-again "OK" "$(echo 'watch /local/domain/5/data tok' | guest "$B" 5)"
expect reregistered-watch-initial-event "/local/domain/5/data tok" "$(echo 'events 1 3000' | guest "$B" 5)"
expect reregistered-watch-is-the-guests "EEXIST" "$(echo 'watch /local/domain/5/data tok' | guest "$B" 5)"
on "$B" xenstore-write /local/domain/5/data/x 4
expect reregistered-watch-fires-once $'/local/domain/5/data/x tok\nETIMEDOUT' "$(echo 'events 2 1500' | guest "$B" 5)"

# --- hostile streams: refused, nothing applied ---------------------------
refused() {	# NAME STREAM WANT-IN-MESSAGE
	local name=$1 s=$2 want=$3 rc
	"$X" domain create "$B" 6 >/dev/null 2>&1
	on "$B" xenstore-ls -p > "$work/before" 2>&1
	xsm "$B" restore --domid 6 --from-domid 5 --port 9 "$s" 2>"$work/refused.err"
	rc=$?
	on "$B" xenstore-ls -p > "$work/after" 2>&1
	if [ $rc = 1 ] && grep -q "$want" "$work/refused.err" && cmp -s "$work/before" "$work/after"; then
		pass "$name"
	else
		fail "$name" "rc=$rc $(cat "$work/refused.err") $(diff "$work/before" "$work/after" | head -5)"
	fi
}
python3 "$here/forge.py" rename-path "$work/s.xsm" "$work/dom0.xsm" \
	/local/domain/5/data/x /local/domain/0/data/x
refused refuse-node-under-dom0 "$work/dom0.xsm" "outside domain 5's nodes"
python3 "$here/forge.py" perm-domid "$work/s.xsm" "$work/third.xsm" /local/domain/5/data/x 7
refused refuse-third-domain-perm "$work/third.xsm" "names domain 7, a third domain"
head -c 100 "$work/s.xsm" > "$work/cut.xsm"
refused refuse-truncated "$work/cut.xsm" "stream ends\|runs past the end"
expect_error refused-domain-not-introduced "couldn't read path" \
	on "$B" xenstore-read /local/domain/6/domid

# --- save and restore on one host, under a new domid ----------------------
"$X" domain create "$A" 8 --introduce >/dev/null
printf 'write /local/domain/8/data/k v\nwatch /local/domain/8/data w8\ntx-start\n' | guest "$A" 8 >/dev/null
echo "events 1 2000" | guest "$A" 8 >/dev/null
xsm "$A" save --domid 8 -o "$work/s8.xsm" 2>"$work/save8.err" || fail save-8 "$(cat "$work/save8.err")"
port=$("$X" domain move "$A" "$A" 8 --as 9 | sed -n 's/^port //p')
home "$A" 9 "$port"
if xsm "$A" restore --domid 9 --from-domid 8 --port "$port" "$work/s8.xsm" 2>"$work/restore9.err"
then pass restore-new-domid
else fail restore-new-domid "$(cat "$work/restore9.err")"
fi
expect new-domid-node "v" "$(echo 'read /local/domain/9/data/k' | guest "$A" 9)"
expect new-domid-owner "n9" "$(echo 'getperms /local/domain/9/data' | guest "$A" 9 | cut -d' ' -f1)"
expect new-domid-tx-eagain "EAGAIN" "$(echo 'tx-end 1' | guest "$A" 9)"
on "$A" xenstore-write /local/domain/9/data/k w
expect new-domid-watch "/local/domain/9/data/k w8" "$(echo 'events 1 3000' | guest "$A" 9)"

# --- a failed save leaves the guest served where it is -------------------
"$X" domain create "$A" 11 --introduce >/dev/null
XSM_STATE_DIR=/nonexistent xsm "$A" save --domid 11 -o "$work/s11.xsm" 2>"$work/save11.err"
rc=$?
if [ $rc != 0 ] && [ ! -e "$work/s11.xsm" ]
then pass failed-save-reports
else fail failed-save-reports "rc=$rc"
fi
expect failed-save-resumes "OK" "$(echo 'write /local/domain/11/alive yes' | guest "$A" 11)"

# --- the C API, as libxl calls it ------------------------------------------
"$X" domain create "$A" 12 --introduce >/dev/null
printf 'write /local/domain/12/data/c api\nwatch /local/domain/12/data c12\n' | guest "$A" 12 >/dev/null
echo "events 1 2000" | guest "$A" 12 >/dev/null
port=$("$X" domain move "$A" "$B" 12 | sed -n 's/^port //p')
home "$B" 12 "$port"
XSM_STATE_DIR=$work $T "$(dirname "$XSM")/capi_migrate" "$A/run/socket" "$B/run/socket" 12 "$port" \
	> "$work/capi.out" 2>&1
while read -r verdict name rest; do
	case $verdict in
	PASS) pass "$name" ;;
	FAIL) fail "$name" "$rest" ;;
	*) fail capi-output "$verdict $name $rest" ;;
	esac
done < "$work/capi.out"
expect capi-node "api" "$(echo 'read /local/domain/12/data/c' | guest "$B" 12)"
on "$B" xenstore-write /local/domain/12/data/c moved
expect capi-watch "/local/domain/12/data/c c12" "$(echo 'events 1 3000' | guest "$B" 12)"

# --- the buffer interface, restoring quiesced (libxl's order) -------------
buf() { $T "$(dirname "$XSM")/capi_buffer" "$@"; }
unread() {	# HOST DOMID: octets of requests xenstored left on the guest's ring
	ring_octets "$1/hv/dom/$2/ring" req
}
if buf check "$A/run/socket" 2>"$work/check.err"
then pass buffer-xenstored-check
else fail buffer-xenstored-check "$(cat "$work/check.err")"
fi
"$X" domain create "$A" 13 --introduce >/dev/null
printf 'write /local/domain/13/data/b buf\nwatch /local/domain/13/data b13\ntx-start\n' |
	guest "$A" 13 >/dev/null
echo "events 1 2000" | guest "$A" 13 >/dev/null
if buf save "$A/run/socket" 13 "$work/s13.xsm" 2>"$work/save13.err"
then pass buffer-save
else fail buffer-save "$(cat "$work/save13.err")"
fi
if grep -q 'domain 13 saved (quiesced): .* nodes, .* transactions, 1 watches, [0-9]* octets' \
	"$work/save13.err" && grep -q 'saved roots /local/domain/13' "$work/save13.err"
then pass buffer-save-logged
else fail buffer-save-logged "$(cat "$work/save13.err")"
fi
req=$(echo "raw-request read /local/domain/13/data/b" | guest "$A" 13 | sed -n 's/^req //p')
port=$("$X" domain move "$A" "$B" 13 | sed -n 's/^port //p')
home "$B" 13 "$port"
if buf restore "$B/run/socket" 13 13 "$port" "$work/s13.xsm" quiesced 2>"$work/restore13.err"
then pass buffer-restore-quiesced
else fail buffer-restore-quiesced "$(cat "$work/restore13.err")"
fi
if grep -q "domain 13 restored (from domain 13, port $port, quiesced): " "$work/restore13.err"
then pass buffer-restore-logged
else fail buffer-restore-logged "$(cat "$work/restore13.err")"
fi
# libxl writes its own nodes now; the guest's request must wait for it.
on "$B" xenstore-write /local/domain/13/data/b toolstack
sleep 0.3
left=$(unread "$B" 13)
if [ -n "$req" ] && [ "$left" -gt 0 ]
then pass buffer-quiesced-request-waits
else fail buffer-quiesced-request-waits "req=$req left=$left"
fi
if buf resume "$B/run/socket" 13 2>"$work/resume13.err"
then pass buffer-resume
else fail buffer-resume "$(cat "$work/resume13.err")"
fi
echo 'read /local/domain/13/data/b' | "$X" guest "$B" 13 >"$work/after13.out" 2>"$work/drop13a.err"
echo 'read /local/domain/13/data/b' | "$X" guest "$B" 13 >/dev/null 2>"$work/drop13b.err"
expect buffer-left-request-served-once "1 0 0" \
	"$(grep -c "dropping reply to request $req " "$work/drop13a.err") $(grep -c dropping "$work/drop13b.err") $(unread "$B" 13)"
expect buffer-toolstack-node-wins "toolstack" "$(cat "$work/after13.out")"
expect buffer-tx-eagain "EAGAIN" "$(echo 'tx-end 1' | guest "$B" 13)"
expect buffer-watch-fired-once "/local/domain/13/data/b b13" "$(echo 'events 1 3000' | guest "$B" 13)"
expect buffer-no-second-event "" "$(echo 'events' | guest "$B" 13)"
# A stream from beyond the domain: refused, nothing applied, not introduced.
python3 "$here/forge.py" rename-path "$work/s13.xsm" "$work/dom0-13.xsm" \
	/local/domain/13/data/b /local/domain/0/data/bb
"$X" domain create "$B" 14 >/dev/null 2>&1
buf restore "$B/run/socket" 14 13 9 "$work/dom0-13.xsm" quiesced 2>"$work/refused14.err"
rc=$?
if [ $rc = 1 ] && grep -q "outside domain 13's nodes" "$work/refused14.err" &&
	[ -z "$(on "$B" xenstore-read /local/domain/14/domid 2>/dev/null)" ]
then pass buffer-restore-refused
else fail buffer-restore-refused "rc=$rc $(cat "$work/refused14.err")"
fi

# --- an unpatched xenstored says what it lacks ----------------------------
S=$work/stock
testlib_host "$S"
"$X" host start "$S" --stock >/dev/null
"$X" domain create "$S" 5 --introduce >/dev/null
xsm "$S" save --domid 5 -o "$work/stock.xsm" 2>"$work/stock.err"
rc=$?
if [ $rc = 5 ] && grep -q 'no "quiesce" command: it is C xenstored without the domain-state commands; carrying a guest.s xenstore state needs C xenstored or oxenstored with the domain-state commands' "$work/stock.err" &&
	[ ! -e "$work/stock.xsm" ]
then pass stock-xenstored-explained
else fail stock-xenstored-explained "rc=$rc $(cat "$work/stock.err")"
fi
xsm "$S" save --domid 9 -o "$work/none.xsm" 2>/dev/null
expect unreachable-or-refused-status 5 $?
buf check "$S/run/socket" 2>"$work/stock-check.err"
rc=$?
if [ $rc = 1 ] && grep -q 'no "quiesce" command: it is C xenstored without the domain-state commands' \
	"$work/stock-check.err"
then pass buffer-check-stock-refused
else fail buffer-check-stock-refused "rc=$rc $(cat "$work/stock-check.err")"
fi

# oxenstored (a mock of its CONTROL replies: it cannot run here) acknowledges
# every command it does not know with "OK": the library must tell, before a
# "quiesce" that would look done reaches it.
O=$work/oxenstored.sock
python3 "$here/mock_oxenstored.py" "$O" "$work/ox.log" & oxpid=$!
wait_until 5 test -S "$O"
XENSTORED_PATH=$O $T "$XSM" save --domid 5 -o "$work/ox.xsm" 2>"$work/ox.err"
rc=$?
if [ $rc = 5 ] && grep -q 'xenstored is oxenstored without the domain-state commands (.*); carrying a guest.s xenstore state needs C xenstored or oxenstored with the domain-state commands' "$work/ox.err" &&
	! grep -qv '^help$' "$work/ox.log" && [ ! -e "$work/ox.xsm" ]
then pass oxenstored-explained-nothing-sent
else fail oxenstored-explained-nothing-sent "rc=$rc $(cat "$work/ox.err") sent: $(tr '\n' ' ' < "$work/ox.log")"
fi
buf check "$O" 2>"$work/ox-check.err"
rc=$?
if [ $rc = 1 ] && grep -q 'xenstored is oxenstored without the domain-state commands' "$work/ox-check.err"
then pass buffer-check-oxenstored-refused
else fail buffer-check-oxenstored-refused "rc=$rc $(cat "$work/ox-check.err")"
fi
kill "$oxpid" 2>/dev/null; wait "$oxpid" 2>/dev/null


[ "$failed" = 0 ]
