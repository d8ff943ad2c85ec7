#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
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
export XENSIM_TIMEOUT_MS=${XENSIM_TIMEOUT_MS:-5000}
export XENSIM_XENSTORED=${XENSIM_XENSTORED:-$(cd "$(dirname "$0")" && pwd)/oxenstored-xensim}
export XENSIM_OXENSTORED=${XENSIM_OXENSTORED:-$build/oxenstored-patched}
T="timeout 10"

. "$(dirname "$0")/../lib/testlib.sh"
testlib_begin "$counts" xsm-ox
A=$work/a
testlib_host "$A"
XC=${XENSTORE_CONTROL:-/usr/lib/xen-4.17/bin/xenstore-control}
on() { XENSTORED_PATH=$A/run/socket $T "$@"; }
guest() { "$X" guest "$A" "$@" 2>>"$work/guest.err"; }
# ctl ARGS...: xenstore-control; its answer, or the errno name.
ctl() {
	local out rc
	out=$(on "$XC" "$@" 2>&1)
	rc=$?
	if [ $rc = 0 ]; then echo "$out"; return; fi
	case "$out" in
	"Error 2 "*) echo ENOENT ;;
	"Error 13 "*) echo EACCES ;;
	"Error 16 "*) echo EBUSY ;;
	"Error 22 "*|"Command not supported"*) echo EINVAL ;;
	*) echo "rc=$rc $(echo "$out" | head -1)" ;;
	esac
}
# wait_read PATH WANT: up to 5 s for dom0 to read WANT at PATH.
wait_read() {
	for _ in $(seq 100); do
		[ "$(on xenstore-read "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

[ -x "$XENSIM_OXENSTORED" ] || { fail daemon "$XENSIM_OXENSTORED not built"; exit 1; }
"$X" host start "$A" >/dev/null || { fail host "$(cat "$A/xenstored.log")"; exit 1; }
# The daemon that answers is oxenstored: its pid file, not C xenstored's.
if [ -s "$A/run/oxenstored.pid" ] && on xenstore-write /ox/probe 1 &&
	[ "$(on xenstore-read /ox/probe)" = 1 ]; then
	pass ox-serves-dom0
else
	fail ox-serves-dom0 "$(tail -3 "$A/xenstored.log")"
fi

"$X" domain create "$A" 3 --introduce >/dev/null
out=$(printf '%s\n' 'write /local/domain/3/data/x v1' 'read /local/domain/3/data/x' \
	'watch /local/domain/3/data tk' 'events 1 2000' | guest 3)
want=$(printf '%s\n' OK v1 OK '/local/domain/3/data tk')
if [ "$out" = "$want" ]; then pass ox-guest-ring; else fail ox-guest-ring "$out"; fi

# dom0 writes into the guest's watched subtree: the event reaches the ring.
on xenstore-write /local/domain/3/data/y v2
out=$(echo 'events 1 2000' | guest 3)
if [ "$out" = "/local/domain/3/data/y tk" ]; then pass ox-watch-event
else fail ox-watch-event "$out"; fi

# A transaction conflicting with a dom0 write ends in EAGAIN.
tx=$(echo tx-start | guest 3)
id=${tx#tx }
printf '%s\n' "tx-read $id /local/domain/3/data/x" "tx-write $id /local/domain/3/data/x t" |
	guest 3 >/dev/null
on xenstore-write /local/domain/3/data/x v3
out=$(echo "tx-end $id" | guest 3)
if [ "$out" = EAGAIN ] && [ "$(on xenstore-read /local/domain/3/data/x)" = v3 ]; then
	pass ox-transaction-conflict
else
	fail ox-transaction-conflict "tx-end: $out"
fi

# A guest cannot write outside its home.
out=$(echo 'write /local/domain/0/evil 1' | guest 3)
if [ "$out" = EACCES ]; then pass ox-guest-perms; else fail ox-guest-perms "$out"; fi

# --- quiesce / unquiesce (the C daemon's semantics, docs/misc/xenstore.txt)
"$X" domain create "$A" 4 --introduce >/dev/null
"$X" domain create "$A" 7 --introduce >/dev/null
expect ox-quiesce-setup OK "$(printf '%s\n' 'watch /local/domain/4/w tk' 'events 1 2000' |
	guest 4 | head -1)"
expect ox-quiesce-unknown ENOENT "$(ctl quiesce 9)"
expect ox-quiesce-bad-argument EINVAL "$(ctl quiesce 4 forever)"
expect ox-quiesce OK "$(ctl quiesce 4)"
expect ox-quiesce-twice-ebusy EBUSY "$(ctl quiesce 4)"
# While quiesced: a request the guest sends stays unanswered and unrun, an
# event for it is kept, and both survive any number of ring scans.
req=$(echo 'raw-request write /local/domain/4/raw r' | guest 4)
on xenstore-write /local/domain/4/w/x 1
sleep 1
expect_error ox-quiesced-request-not-run "couldn't read path" on xenstore-read /local/domain/4/raw
expect ox-quiesced-nothing-written "" "$(echo events | guest 4)"
expect ox-unquiesce OK "$(ctl unquiesce 4)"
if wait_read /local/domain/4/raw r; then pass ox-unquiesce-runs-request
else fail ox-unquiesce-runs-request "${req}: not run after unquiesce"; fi
expect ox-unquiesce-delivers-event "/local/domain/4/w/x tk" "$(echo 'events 1 2000' | guest 4)"
expect ox-unquiesce-idempotent OK "$(ctl unquiesce 4)"
expect ox-unquiesce-unknown ENOENT "$(ctl unquiesce 9)"
# An owned quiesce ends with the connection that made it (xenstore-control
# exits at once), a plain one does not.
expect ox-quiesce-owned OK "$(ctl quiesce 7 owned)"
expect ox-quiesce-owned-ends-with-its-connection OK \
	"$(echo 'write /local/domain/7/alive yes' | guest 7)"
expect ox-quiesce-again-after-owner-left OK "$(ctl quiesce 7)"
echo 'raw-request write /local/domain/7/late yes' | guest 7 >/dev/null
sleep 0.5
expect_error ox-quiesce-plain-holds "couldn't read path" on xenstore-read /local/domain/7/late
expect ox-unquiesce-7 OK "$(ctl unquiesce 7)"
if wait_read /local/domain/7/late yes; then pass ox-unquiesce-7-runs-request
else fail ox-unquiesce-7-runs-request "not run after unquiesce"; fi

# The domain dies: oxenstored fires @releaseDomain (after the initial event).
on xenstore-watch -n 2 @releaseDomain > "$work/release" 2>&1 &
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
