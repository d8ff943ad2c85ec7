#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Tests of the simulated Xen host: real xenstored (Debian's 4.17 source)
# over tests/xensim's simulated hypervisor, driven by build/xensim/xensim.
#
# Usage: check-xensim.sh COUNTS-FILE
# Prints "PASS name" / "FAIL name: why" per check and writes "<passed>
# <failed>" to COUNTS-FILE.  Every wait is bounded: xensim's own waits by
# XENSIM_TIMEOUT_MS, every other client by timeout(1).  Hosts are always
# stopped on exit.
set -u

counts=${1:?usage: check-xensim.sh COUNTS-FILE}
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${XENSIM_BUILD:-build/xensim}" && pwd)
X=$build/xensim
XSM=${XSM_BIN:-build/bin}/xsmigrate
export XENSIM_TIMEOUT_MS=${XENSIM_TIMEOUT_MS:-5000}
T="timeout 10"

. "$here/../lib/testlib.sh"
testlib_begin "$counts" xensim-check
H=$work/h1
H2=$work/h2
testlib_host "$H"
testlib_host "$H2"

# Running: a zombie that its new parent has not reaped yet does not count.
alive() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat"; }
guest() { "$X" guest "$H" "$@" 2>>"$work/guest.err"; }
state() { python3 "$here/xsstate.py" "$1"; }

# --- host and domain -------------------------------------------------
out=$("$X" host start "$H") || { fail host-start "$(cat "$H/xenstored.log")"; exit 1; }
eval "$out"
expect host-start-prints-path "$H/run/socket" "${XENSTORED_PATH:-}"
pid=$(cat "$H/xenstored.pid")
expect socket-client "" "$($T xenstore-read /tool/xenstored 2>&1)"

expect domain-create "port 1" "$("$X" domain create "$H" 3 --introduce)"
expect domain-home "3" "$($T xenstore-read /local/domain/3/domid 2>&1)"
expect domain-store-port "1" "$($T xenstore-read /local/domain/3/store/port 2>&1)"

# --- the acceptance scenario ------------------------------------------
out=$(printf 'write /local/domain/3/foo bar\nwatch /local/domain/3/foo tk\ntx-start\n' | guest 3)
expect guest-write-watch-tx "$(printf 'OK\nOK\ntx 1')" "$out"
expect guest-write-visible "bar" "$($T xenstore-read /local/domain/3/foo 2>&1)"

# The watch's initial event arrived after its reply, while nobody was
# looking: the next guest process still gets it.
expect event-outlives-process "/local/domain/3/foo tk" "$(echo 'events 1 2000' | guest 3)"
$T xenstore-write /local/domain/3/foo bar
expect dom0-write-fires-guest-watch "/local/domain/3/foo tk" "$(echo 'events 1 2000' | guest 3)"
expect no-spurious-events "" "$(echo 'events' | guest 3 || echo "guest failed: $?")"

# Guest 3 left a transaction open: without --force xenstored refuses (after
# waiting a second for it to end) and carries on as before.
"$X" host live-update "$H" --capture "$work/refused.xsm" >"$work/lu.out" 2>&1
rc=$?
[ $rc = 1 ] && [ ! -e "$work/refused.xsm" ] && grep -q "transactions" "$work/lu.out" &&
	pass live-update-refused-open-tx || fail live-update-refused-open-tx "rc=$rc $(cat "$work/lu.out")"
expect refused-still-serving "bar" "$($T xenstore-read /local/domain/3/foo 2>&1)"
if "$X" host live-update "$H" --capture "$work/cap.xsm" --force >"$work/lu.out" 2>&1
then pass live-update-runs
else fail live-update-runs "$(cat "$work/lu.out")"
fi
expect live-update-same-daemon "$pid" "$(cat "$H/xenstored.pid")"
alive "$pid" && pass live-update-daemon-alive || fail live-update-daemon-alive "pid $pid gone"
expect live-update-keeps-data "bar" "$($T xenstore-read /local/domain/3/foo 2>&1)"
expect capture-header "xenstore" "$(head -c 8 "$work/cap.xsm" 2>&1)"
state "$work/cap.xsm" > "$work/cap.txt" 2>&1
grep -q "^HEADER version=1 flags=0$" "$work/cap.txt" && grep -q "^END$" "$work/cap.txt" &&
	pass capture-parses || fail capture-parses "$(head -3 "$work/cap.txt")"
conn=$(sed -n 's/^CONN id=\([0-9]*\) type=ring domid=3 .*/\1/p' "$work/cap.txt")
[ -n "$conn" ] && pass capture-ring-conn-dom3 || fail capture-ring-conn-dom3 "no ring CONN for domid 3"
grep -q "^WATCH conn=$conn path=/local/domain/3/foo token=tk$" "$work/cap.txt" &&
	pass capture-watch-dom3 || fail capture-watch-dom3 "no watch record of conn $conn"
grep -q "^NODE path=/local/domain/3/foo perms=n3 data=bar$" "$work/cap.txt" &&
	pass capture-node || fail capture-node "no node record for foo"

# The guest's connection (ring, event channel, watch) survived the update.
expect guest-after-live-update "bar" "$(echo 'read /local/domain/3/foo' | guest 3)"
$T xenstore-write /local/domain/3/foo after-lu
expect watch-after-live-update "/local/domain/3/foo tk" "$(echo 'events 1 2000' | guest 3)"

# --- transactions and errors ------------------------------------------
out=$(printf 'tx-start\n' | guest 3); tx=${out#tx }
out=$(printf 'tx-read %s /local/domain/3/foo\ntx-write %s /local/domain/3/foo in-tx\n' "$tx" "$tx" | guest 3)
expect tx-read-write "$(printf 'after-lu\nOK')" "$out"
$T xenstore-write /local/domain/3/foo conflicting
expect tx-conflict-eagain "EAGAIN" "$(echo "tx-end $tx" | guest 3)"
expect tx-conflict-lost "conflicting" "$($T xenstore-read /local/domain/3/foo 2>&1)"
out=$(printf 'tx-start\n' | guest 3); tx=${out#tx }
expect tx-commit "$(printf 'OK\nOK')" "$(printf 'tx-write %s /local/domain/3/t v\ntx-end %s\n' "$tx" "$tx" | guest 3)"
expect tx-committed "v" "$($T xenstore-read /local/domain/3/t 2>&1)"
out=$(printf 'tx-start\n' | guest 3); tx=${out#tx }
expect tx-abort "$(printf 'OK\nOK')" "$(printf 'tx-write %s /local/domain/3/t2 v\ntx-end %s abort\n' "$tx" "$tx" | guest 3)"
expect_error tx-aborted "couldn't read path" $T xenstore-read /local/domain/3/t2
expect tx-gone "ENOENT" "$(echo "tx-end $tx" | guest 3)"
out=$(printf 'read /local/domain/3/nope\nread /tool/xenstored\nmkdir /local/domain/3/d/e\nls /local/domain/3/d\nsetperms /local/domain/3/d n3 r0\ngetperms /local/domain/3/d\nrm /local/domain/3/d\nwrite /local/domain/3/sp a b  c\nread /local/domain/3/sp\nunwatch /local/domain/3/foo tk\nbogus\n' | guest 3)
expect guest-commands "$(printf 'ENOENT\nEACCES\nOK\ne\nOK\nn3 r0\nOK\nOK\na b  c\nOK\nEINVAL')" "$out"
echo events | guest 3 >/dev/null	# drop those of the writes above
$T xenstore-write /local/domain/3/foo unwatched
expect unwatch-stops-events "ETIMEDOUT" "$(echo 'events 1 300' | guest 3)"

# --- several guests at once -------------------------------------------
for d in 4 5 6; do
	"$X" domain create "$H" $d --introduce >/dev/null || fail create-$d "exit $?"
	printf 'watch /local/domain/%s/k t%s\nevents 1 2000\n' $d $d | guest $d >/dev/null
done
for d in 4 5 6; do
	(printf 'events 1 5000\nwrite /local/domain/%s/ack %s\n' $d $d | guest $d > "$work/g$d.out") &
done
sleep 0.3
for d in 4 5 6; do $T xenstore-write /local/domain/$d/k v$d; done
wait
for d in 4 5 6; do
	expect concurrent-guest-$d "$(printf '/local/domain/%s/k t%s\nOK' $d $d)" "$(cat "$work/g$d.out")"
	expect concurrent-guest-$d-ack "$d" "$($T xenstore-read /local/domain/$d/ack 2>&1)"
done

# --- domain destruction -----------------------------------------------
$T xenstore-watch -n 2 @releaseDomain > "$work/release.out" 2>&1 &
wpid=$!
for _ in $(seq 100); do [ -s "$work/release.out" ] && break; sleep 0.05; done
"$X" domain destroy "$H" 5
wait $wpid
expect destroy-fires-releaseDomain "$(printf '@releaseDomain\n@releaseDomain')" "$(cat "$work/release.out")"
for _ in $(seq 100); do [ -d "$H/hv/dom/5" ] || break; sleep 0.05; done
[ -d "$H/hv/dom/5" ] && fail destroy-reaped "dom 5 still there after xenstored let go" || pass destroy-reaped
expect destroyed-domain-recreated "port 1" "$("$X" domain create "$H" 5 2>&1)"

# --- domain move -------------------------------------------------------
"$X" host start "$H2" >/dev/null || fail host2-start "$(cat "$H2/xenstored.log")"
"$X" domain create "$H" 7 --introduce >/dev/null
# A request whose reply nobody reads: the page carries a response.
printf 'write /local/domain/7/x y\nraw-request read /local/domain/7/x\n' | guest 7 >/dev/null
for _ in $(seq 100); do
	python3 -c 'import struct,sys; r=open(sys.argv[1],"rb").read(2064); c,p=struct.unpack_from("<II",r,2056); sys.exit(p==c)' "$H/hv/dom/7/ring" && break
	sleep 0.05
done
out=$("$X" domain move "$H" "$H2" 7 2>&1)
expect move-prints-port "port 1" "$out"
cmp -s "$H/hv/dom/7/ring" "$H2/hv/dom/7/ring" && pass move-carries-ring ||
	fail move-carries-ring "ring pages differ"
python3 -c 'import struct,sys; r=open(sys.argv[1],"rb").read(); rc,rp=struct.unpack_from("<II",r,2056); sys.exit(not (rp-rc == 16+1))' "$H2/hv/dom/7/ring" &&
	pass move-pending-reply || fail move-pending-reply "no 17-byte reply on the moved ring"
XENSTORED_PATH=$H2/run/socket expect_error move-not-introduced "couldn't read path" \
	$T xenstore-read /local/domain/7/x
grep -q "shutdown 1 reason 2" "$H/hv/dom/7/info" && pass move-suspends-source ||
	fail move-suspends-source "$(cat "$H/hv/dom/7/info")"

# --- a busy host: what a live update has to carry ----------------------
# Socket client with a watch, ring guests with watches, an open
# transaction, and a guest that stopped reading with its ring full.
"$X" domain create "$H" 8 --introduce >/dev/null
"$X" domain create "$H" 9 --introduce >/dev/null
printf 'watch /local/domain/8/k t8\ntx-start\n' | guest 8 >/dev/null
big=$(printf '%01000d' 0)
printf 'watch /local/domain/9/k t9\nwrite /local/domain/9/big %s\n' "$big" | guest 9 >/dev/null
printf 'raw-request read /local/domain/9/big\n%.0s' 1 2 3 4 | guest 9 >/dev/null
$T xenstore-watch /local/domain/8 > "$work/sockwatch.out" 2>&1 &
spid=$!
for _ in $(seq 100); do
	python3 -c 'import struct,sys; r=open(sys.argv[1],"rb").read(2064); c,p=struct.unpack_from("<II",r,2056); sys.exit(p-c != 1024)' "$H/hv/dom/9/ring" &&
		[ -s "$work/sockwatch.out" ] && break
	sleep 0.05
done
$T xenstore-ls -p > "$work/before.txt" 2>&1
"$X" host live-update "$H" --capture "$work/busy.xsm" --force >/dev/null 2>&1 ||
	fail busy-live-update "exit $?"
state "$work/busy.xsm" > "$work/busy.txt" 2>&1
grep -Eq "^CONN id=[0-9]+ type=ring domid=9 .* resp=[1-9][0-9]* out=[1-9][0-9]*$" "$work/busy.txt" &&
	pass busy-pending-output || fail busy-pending-output "$(grep domid=9 "$work/busy.txt")"
grep -q "^WATCH conn=[0-9]* path=/local/domain/8 token=/local/domain/8$" "$work/busy.txt" &&
	pass busy-socket-watch || fail busy-socket-watch "no socket client watch"
expect busy-tree-kept "$(cat "$work/before.txt")" "$($T xenstore-ls -p 2>&1)"
printf 'events\n' | guest 8 > /dev/null	# drop the initial event
$T xenstore-write /local/domain/8/k after
expect busy-guest-watch "/local/domain/8/k t8" "$(echo 'events 1 2000' | guest 8)"
for _ in $(seq 40); do grep -q "^/local/domain/8/k$" "$work/sockwatch.out" && break; sleep 0.05; done
grep -q "^/local/domain/8/k$" "$work/sockwatch.out" && pass busy-socket-watch-fires ||
	fail busy-socket-watch-fires "$(cat "$work/sockwatch.out")"
kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null

# --- interop with the project's codec -----------------------------------
if [ -x "$XSM" ]; then
	# (a) xenstored's own stream survives decoding and re-encoding.
	"$XSM" dump --json "$work/busy.xsm" > "$work/busy.json" 2>&1 &&
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not any(r.get("type")=="CONNECTION_DATA" and r.get("domid")==9 for r in d["records"]))' "$work/busy.json" &&
		pass xsmigrate-dump-busy || fail xsmigrate-dump-busy "$(head -c 300 "$work/busy.json")"
	"$XSM" convert "$work/busy.xsm" "$work/busy2.xsm" 2>"$work/conv.err" &&
		cmp -s "$work/busy.xsm" "$work/busy2.xsm" &&
		pass xsmigrate-convert-identical || fail xsmigrate-convert-identical "$(cat "$work/conv.err")"
	# (b) xenstored restores from a stream the codec wrote.
	$T xenstore-ls -p > "$work/before.txt" 2>&1
	"$X" host live-update "$H" --capture "$work/busy3.xsm" --force --filter "$XSM convert" \
		>/dev/null 2>"$work/filter.err" && pass xsmigrate-stream-restored ||
		fail xsmigrate-stream-restored "$(cat "$work/filter.err")"
	expect xsmigrate-restored-tree "$(cat "$work/before.txt")" "$($T xenstore-ls -p 2>&1)"
	for d in 8 9; do
		echo events | guest $d >/dev/null	# earlier events, stale replies
		$T xenstore-write /local/domain/$d/k codec
		expect xsmigrate-restored-watch-$d "/local/domain/$d/k t$d" "$(echo 'events 1 2000' | guest $d)"
	done
else
	fail xsmigrate-interop "$XSM not built"
fi

# --- bounded waits and cleanup ----------------------------------------
"$X" host stop "$H2"
start=$(date +%s)
XENSIM_TIMEOUT_MS=500 "$X" guest "$H2" 7 <<<'read /local/domain/7/x' >/dev/null 2>"$work/to.err"
rc=$?
[ $rc = 2 ] && grep -q "timed out" "$work/to.err" && [ $(($(date +%s) - start)) -le 3 ] &&
	pass guest-times-out || fail guest-times-out "rc=$rc $(cat "$work/to.err")"
XENSIM_XENSTORED=/bin/false "$X" host start "$H2" >/dev/null 2>"$work/bad.err"
rc=$?
[ $rc != 0 ] && grep -q "did not come up" "$work/bad.err" && pass broken-daemon-fails ||
	fail broken-daemon-fails "rc=$rc"
"$X" host stop "$H"
alive "$pid" && fail host-stop "xenstored $pid still running" || pass host-stop
[ -z "$(ls "$H/hv/rx")" ] && pass host-stop-cleans || fail host-stop-cleans "$(ls "$H/hv/rx")"

[ "$failed" = 0 ]
