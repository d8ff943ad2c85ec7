#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only
# check-faults' PID namespace case: the toolstack in a namespace of its own.
#
# The toolstack in a PID namespace of its own (check-faults.sh runs this
# as PID 1 of a new PID and mount namespace, with its own /proc).
#
# xenstored and this shell share the namespace; the CLI runs as PID 1 of
# a namespace nested in it.  A state file named /proc/<its pid>/fd/<n> by
# the CLI is, to xenstored, a file of this shell (PID 1 here), which keeps
# decoys open on descriptors 3 to 20: the decoys must stay untouched, the
# save must write the CLI's own file and the restore must apply the CLI's
# stream, not a decoy's.
#
# Usage: pidns-case.sh XENSIM XSMIGRATE DIR; prints PASS/FAIL lines.
set -u

X=$1 XSM=$2 dir=$3
export XENSIM_TIMEOUT_MS=${XENSIM_TIMEOUT_MS:-5000}
testlib_timeout=20 # a client command's bound, seconds
# shellcheck source=../lib/testlib.sh
. "$(dirname "$0")/../lib/testlib.sh"
mkdir -p "$dir"
testlib_counts "$dir/counts"
work=$dir	# the guest's messages go there

[ $$ = 1 ] || { fail pid-1 "not PID 1 of a namespace of its own (pid $$)"; exit 1; }
A=$dir/a B=$dir/b
host_start "$A" || { fail host-a "cannot start"; exit 1; }
host_start "$B" || { fail host-b "cannot start"; exit 1; }
# CMD... as PID 1 of a nested PID namespace, without the decoys.
nested() {
	(
		for fd in $(seq 3 20); do eval "exec $fd>&-"; done
		exec timeout 20 unshare --pid --fork --kill-child "$@"
	)
}

# The decoys: a valid stream of the same domain, holding another value.
"$X" domain create "$A" 50 --introduce >/dev/null
expect setup-decoy-value OK "$(echo 'write /local/domain/50/data/x decoy' | guest "$A" 50)"
xsm "$A" save --domid 50 -o "$dir/decoy.xsm" 2>"$dir/err"
expect setup-decoy-save "0 " "$? $(cat "$dir/err")"
xsm "$A" resume --domid 50 2>"$dir/err"
expect setup-resume "0 " "$? $(cat "$dir/err")"
expect setup-real-value OK "$(echo 'write /local/domain/50/data/x real' | guest "$A" 50)"
# The restore's stream, saved from this namespace (which always worked).
xsm "$A" save --domid 50 -o "$dir/ref.xsm" 2>"$dir/err"
expect setup-ref-save "0 " "$? $(cat "$dir/err")"
xsm "$A" resume --domid 50 2>"$dir/err"
expect setup-ref-resume "0 " "$? $(cat "$dir/err")"
for fd in $(seq 3 20); do
	cp "$dir/decoy.xsm" "$dir/decoy$fd"
	eval "exec $fd<>\"\$dir/decoy\$fd\""
done

XENSTORED_PATH=$A/run/socket nested "$XSM" save --domid 50 -o "$dir/real.xsm" 2>"$dir/err"
expect nested-save "0 " "$? $(cat "$dir/err")"
expect nested-save-value real "$(python3 "$(dirname "$0")/../xensim/xsstate.py" "$dir/real.xsm" 2>&1 |
	sed -n 's|^NODE path=/local/domain/50/data/x perms=[^ ]* data=||p')"
changed=$(for fd in $(seq 3 20); do cmp -s "$dir/decoy.xsm" "$dir/decoy$fd" || echo "$fd"; done)
expect nested-save-leaves-other-files-alone "" "$changed"

# Decoys as they were (in place: the same files stay open).
for fd in $(seq 3 20); do cp "$dir/decoy.xsm" "$dir/decoy$fd"; done
port=$("$X" domain move "$A" "$B" 50 | sed -n 's/^port //p')
testlib_write_home "$B/run/socket" 50 "$port" || fail toolstack-home "toolstack.py failed"
XENSTORED_PATH=$B/run/socket nested "$XSM" restore --domid 50 --port "$port" "$dir/ref.xsm" 2>"$dir/err"
expect nested-restore "0 " "$? $(cat "$dir/err")"
expect nested-restore-applies-its-stream real "$(echo 'read /local/domain/50/data/x' | guest "$B" 50)"
[ "$failed" = 0 ]
