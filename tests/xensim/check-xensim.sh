#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# check-xensim: the simulated Xen host, running real xenstored.
#
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

# shellcheck source=../lib/testlib.sh
. "$here/../lib/testlib.sh"
testlib_begin "$counts" xensim-check
H=$work/h1
H2=$work/h2
testlib_host "$H"
testlib_host "$H2"

# Running: a zombie that its new parent has not reaped yet does not count.
alive() { [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat"; }
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
out=$(printf 'write /local/domain/3/foo bar\nwatch /local/domain/3/foo tk\ntx-start\n' | guest "$H" 3)
expect guest-write-watch-tx "$(printf 'OK\nOK\ntx 1')" "$out"
expect guest-write-visible "bar" "$($T xenstore-read /local/domain/3/foo 2>&1)"

# The watch's initial event arrived after its reply, while nobody was
# looking: the next guest process still gets it.
expect event-outlives-process "/local/domain/3/foo tk" "$(echo 'events 1 2000' | guest "$H" 3)"
$T xenstore-write /local/domain/3/foo bar
expect dom0-write-fires-guest-watch "/local/domain/3/foo tk" "$(echo 'events 1 2000' | guest "$H" 3)"
expect no-spurious-events "" "$(echo 'events' | guest "$H" 3 || echo "guest failed: $?")"

# Guest 3 left a transaction open: without --force xenstored refuses (after
# waiting a second for it to end) and carries on as before.
"$X" host live-update "$H" --capture "$work/refused.xsm" >"$work/lu.out" 2>&1
rc=$?
if [ $rc = 1 ] && [ ! -e "$work/refused.xsm" ] && grep -q "transactions" "$work/lu.out"
then pass live-update-refused-open-tx
else fail live-update-refused-open-tx "rc=$rc $(cat "$work/lu.out")"
fi
expect refused-still-serving "bar" "$($T xenstore-read /local/domain/3/foo 2>&1)"
if "$X" host live-update "$H" --capture "$work/cap.xsm" --force >"$work/lu.out" 2>&1
then pass live-update-runs
else fail live-update-runs "$(cat "$work/lu.out")"
fi
expect live-update-same-daemon "$pid" "$(cat "$H/xenstored.pid")"
if alive "$pid"
then pass live-update-daemon-alive
else fail live-update-daemon-alive "pid $pid gone"
fi
expect live-update-keeps-data "bar" "$($T xenstore-read /local/domain/3/foo 2>&1)"
expect capture-header "xenstore" "$(head -c 8 "$work/cap.xsm" 2>&1)"
state "$work/cap.xsm" > "$work/cap.txt" 2>&1
if grep -q "^HEADER version=1 flags=0$" "$work/cap.txt" && grep -q "^END$" "$work/cap.txt"
then pass capture-parses
else fail capture-parses "$(head -3 "$work/cap.txt")"
fi
conn=$(sed -n 's/^CONN id=\([0-9]*\) type=ring domid=3 .*/\1/p' "$work/cap.txt")
if [ -n "$conn" ]
then pass capture-ring-conn-dom3
else fail capture-ring-conn-dom3 "no ring CONN for domid 3"
fi
if grep -q "^WATCH conn=$conn path=/local/domain/3/foo token=tk$" "$work/cap.txt"
then pass capture-watch-dom3
else fail capture-watch-dom3 "no watch record of conn $conn"
fi
if grep -q "^NODE path=/local/domain/3/foo perms=n3 data=bar$" "$work/cap.txt"
then pass capture-node
else fail capture-node "no node record for foo"
fi

# The guest's connection (ring, event channel, watch) survived the update.
expect guest-after-live-update "bar" "$(echo 'read /local/domain/3/foo' | guest "$H" 3)"
$T xenstore-write /local/domain/3/foo after-lu
expect watch-after-live-update "/local/domain/3/foo tk" "$(echo 'events 1 2000' | guest "$H" 3)"

# --- transactions and errors ------------------------------------------
out=$(printf 'tx-start\n' | guest "$H" 3); tx=${out#tx }
out=$(printf 'tx-read %s /local/domain/3/foo\ntx-write %s /local/domain/3/foo in-tx\n' "$tx" "$tx" | guest "$H" 3)
expect tx-read-write "$(printf 'after-lu\nOK')" "$out"
$T xenstore-write /local/domain/3/foo conflicting
expect tx-conflict-eagain "EAGAIN" "$(echo "tx-end $tx" | guest "$H" 3)"
expect tx-conflict-lost "conflicting" "$($T xenstore-read /local/domain/3/foo 2>&1)"
out=$(printf 'tx-start\n' | guest "$H" 3); tx=${out#tx }
expect tx-commit "$(printf 'OK\nOK')" "$(printf 'tx-write %s /local/domain/3/t v\ntx-end %s\n' "$tx" "$tx" | guest "$H" 3)"
expect tx-committed "v" "$($T xenstore-read /local/domain/3/t 2>&1)"
out=$(printf 'tx-start\n' | guest "$H" 3); tx=${out#tx }
expect tx-abort "$(printf 'OK\nOK')" "$(printf 'tx-write %s /local/domain/3/t2 v\ntx-end %s abort\n' "$tx" "$tx" | guest "$H" 3)"
expect_error tx-aborted "couldn't read path" on "$H" xenstore-read /local/domain/3/t2
expect tx-gone "ENOENT" "$(echo "tx-end $tx" | guest "$H" 3)"
out=$(printf 'read /local/domain/3/nope\nread /tool/xenstored\nmkdir /local/domain/3/d/e\nls /local/domain/3/d\nsetperms /local/domain/3/d n3 r0\ngetperms /local/domain/3/d\nrm /local/domain/3/d\nwrite /local/domain/3/sp a b  c\nread /local/domain/3/sp\nunwatch /local/domain/3/foo tk\nbogus\n' | guest "$H" 3)
expect guest-commands "$(printf 'ENOENT\nEACCES\nOK\ne\nOK\nn3 r0\nOK\nOK\na b  c\nOK\nEINVAL')" "$out"
echo events | guest "$H" 3 >/dev/null	# drop those of the writes above
$T xenstore-write /local/domain/3/foo unwatched
expect unwatch-stops-events "ETIMEDOUT" "$(echo 'events 1 300' | guest "$H" 3)"

# --- several guests at once -------------------------------------------
for d in 4 5 6; do
	"$X" domain create "$H" $d --introduce >/dev/null || fail create-$d "exit $?"
	printf 'watch /local/domain/%s/k t%s\nevents 1 2000\n' $d $d | guest "$H" $d >/dev/null
done
for d in 4 5 6; do
	(printf 'events 1 5000\nwrite /local/domain/%s/ack %s\n' $d $d | guest "$H" $d > "$work/g$d.out") &
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
wait_until 5 test -s "$work/release.out"
"$X" domain destroy "$H" 5
wait $wpid
expect destroy-fires-releaseDomain "$(printf '@releaseDomain\n@releaseDomain')" "$(cat "$work/release.out")"
wait_until 5 test ! -d "$H/hv/dom/5"
if [ -d "$H/hv/dom/5" ]
then fail destroy-reaped "dom 5 still there after xenstored let go"
else pass destroy-reaped
fi
expect destroyed-domain-recreated "port 1" "$("$X" domain create "$H" 5 2>&1)"

# --- domain move -------------------------------------------------------
"$X" host start "$H2" >/dev/null || fail host2-start "$(cat "$H2/xenstored.log")"
"$X" domain create "$H" 7 --introduce >/dev/null
# A request whose reply nobody reads: the page carries a response.
printf 'write /local/domain/7/x y\nraw-request read /local/domain/7/x\n' | guest "$H" 7 >/dev/null
reply_waiting() { [ "$(ring_octets "$H/hv/dom/7/ring" rsp)" != 0 ]; }
wait_until 5 reply_waiting
out=$("$X" domain move "$H" "$H2" 7 2>&1)
expect move-prints-port "port 1" "$out"
if cmp -s "$H/hv/dom/7/ring" "$H2/hv/dom/7/ring"
then pass move-carries-ring
else fail move-carries-ring "ring pages differ"
fi
if [ "$(ring_octets "$H2/hv/dom/7/ring" rsp)" = $((16 + 1)) ]
then pass move-pending-reply
else fail move-pending-reply "no 17-byte reply on the moved ring"
fi
expect_error move-not-introduced "couldn't read path" on "$H2" xenstore-read /local/domain/7/x
if grep -q "shutdown 1 reason 2" "$H/hv/dom/7/info"
then pass move-suspends-source
else fail move-suspends-source "$(cat "$H/hv/dom/7/info")"
fi

# --- a busy host: what a live update has to carry ----------------------
# Socket client with a watch, ring guests with watches, an open
# transaction, and a guest that stopped reading with its ring full.
"$X" domain create "$H" 8 --introduce >/dev/null
"$X" domain create "$H" 9 --introduce >/dev/null
printf 'watch /local/domain/8/k t8\ntx-start\n' | guest "$H" 8 >/dev/null
big=$(printf '%01000d' 0)
printf 'watch /local/domain/9/k t9\nwrite /local/domain/9/big %s\n' "$big" | guest "$H" 9 >/dev/null
printf 'raw-request read /local/domain/9/big\n%.0s' 1 2 3 4 | guest "$H" 9 >/dev/null
$T xenstore-watch /local/domain/8 > "$work/sockwatch.out" 2>&1 &
spid=$!
busy() { [ "$(ring_octets "$H/hv/dom/9/ring" rsp)" = 1024 ] && [ -s "$work/sockwatch.out" ]; }
wait_until 5 busy
$T xenstore-ls -p > "$work/before.txt" 2>&1
"$X" host live-update "$H" --capture "$work/busy.xsm" --force >/dev/null 2>&1 ||
	fail busy-live-update "exit $?"
state "$work/busy.xsm" > "$work/busy.txt" 2>&1
if grep -Eq "^CONN id=[0-9]+ type=ring domid=9 .* resp=[1-9][0-9]* out=[1-9][0-9]*$" "$work/busy.txt"
then pass busy-pending-output
else fail busy-pending-output "$(grep domid=9 "$work/busy.txt")"
fi
if grep -q "^WATCH conn=[0-9]* path=/local/domain/8 token=/local/domain/8$" "$work/busy.txt"
then pass busy-socket-watch
else fail busy-socket-watch "no socket client watch"
fi
expect busy-tree-kept "$(cat "$work/before.txt")" "$($T xenstore-ls -p 2>&1)"
printf 'events\n' | guest "$H" 8 > /dev/null	# drop the initial event
$T xenstore-write /local/domain/8/k after
expect busy-guest-watch "/local/domain/8/k t8" "$(echo 'events 1 2000' | guest "$H" 8)"
wait_until 2 grep -q "^/local/domain/8/k$" "$work/sockwatch.out"
if grep -q "^/local/domain/8/k$" "$work/sockwatch.out"
then pass busy-socket-watch-fires
else fail busy-socket-watch-fires "$(cat "$work/sockwatch.out")"
fi
kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null

# --- interop with the project's codec -----------------------------------
if [ -x "$XSM" ]; then
	# (a) xenstored's own stream survives decoding and re-encoding.
	if "$XSM" dump --json "$work/busy.xsm" > "$work/busy.json" 2>&1 &&
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(not any(r.get("type")=="CONNECTION_DATA" and r.get("domid")==9 for r in d["records"]))' "$work/busy.json"
	then pass xsmigrate-dump-busy
	else fail xsmigrate-dump-busy "$(head -c 300 "$work/busy.json")"
	fi
	if "$XSM" convert "$work/busy.xsm" "$work/busy2.xsm" 2>"$work/conv.err" &&
		cmp -s "$work/busy.xsm" "$work/busy2.xsm"
	then pass xsmigrate-convert-identical
	else fail xsmigrate-convert-identical "$(cat "$work/conv.err")"
	fi
	# (b) xenstored restores from a stream the codec wrote.
	$T xenstore-ls -p > "$work/before.txt" 2>&1
	if "$X" host live-update "$H" --capture "$work/busy3.xsm" --force --filter "$XSM convert" \
		>/dev/null 2>"$work/filter.err"
	then pass xsmigrate-stream-restored
	else fail xsmigrate-stream-restored "$(cat "$work/filter.err")"
	fi
	expect xsmigrate-restored-tree "$(cat "$work/before.txt")" "$($T xenstore-ls -p 2>&1)"
	for d in 8 9; do
		echo events | guest "$H" $d >/dev/null	# earlier events, stale replies
		$T xenstore-write /local/domain/$d/k codec
		expect xsmigrate-restored-watch-$d "/local/domain/$d/k t$d" "$(echo 'events 1 2000' | guest "$H" $d)"
	done
else
	fail xsmigrate-interop "$XSM not built"
fi

# --- bounded waits and cleanup ----------------------------------------
"$X" host stop "$H2"
start=$(date +%s)
XENSIM_TIMEOUT_MS=500 "$X" guest "$H2" 7 <<<'read /local/domain/7/x' >/dev/null 2>"$work/to.err"
rc=$?
if [ $rc = 2 ] && grep -q "timed out" "$work/to.err" && [ $(($(date +%s) - start)) -le 3 ]
then pass guest-times-out
else fail guest-times-out "rc=$rc $(cat "$work/to.err")"
fi
XENSIM_XENSTORED=/bin/false "$X" host start "$H2" >/dev/null 2>"$work/bad.err"
rc=$?
if [ $rc != 0 ] && grep -q "did not come up" "$work/bad.err"
then pass broken-daemon-fails
else fail broken-daemon-fails "rc=$rc"
fi
"$X" host stop "$H"
if alive "$pid"
then fail host-stop "xenstored $pid still running"
else pass host-stop
fi
if [ -z "$(ls "$H/hv/rx")" ]
then pass host-stop-cleans
else fail host-stop-cleans "$(ls "$H/hv/rx")"
fi

[ "$failed" = 0 ]
