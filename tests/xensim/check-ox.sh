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
on() { XENSTORED_PATH=$A/run/socket $T "$@"; }
guest() { "$X" guest "$A" "$@" 2>>"$work/guest.err"; }

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
