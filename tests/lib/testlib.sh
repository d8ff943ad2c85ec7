# SPDX-License-Identifier: LGPL-2.1-only
# What the shell test suites share (sourced, not run): a scratch directory,
# PASS/FAIL lines and their counts, and simulated hosts that are always
# stopped.  A suite sets X (the xensim command), then:
#
#   . tests/lib/testlib.sh
#   testlib_begin COUNTS-FILE TAG     # $work: scratch dir, removed at exit
#   testlib_host "$work/a"            # stopped at exit
#   expect NAME EXPECTED ACTUAL
#   expect_error NAME WANT-IN-MESSAGE CMD...   # CMD must fail saying so
#
# At exit "<passed> <failed>" goes to COUNTS-FILE, whatever happened; a
# suite exiting non-zero with no failure counted gets one.

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }
expect() {
	if [ "$2" = "$3" ]; then pass "$1"
	else fail "$1" "expected '$(echo "$2" | tr '\n' '|')', got '$(echo "$3" | tr '\n' '|')'"
	fi
}

# The command fails and says why, as it should: never "empty output"
# with its error thrown away, which a dead daemon or a missing binary
# would pass too.  A timeout (124) is not the failure asked for.
expect_error() {	# NAME WANT-IN-OUTPUT CMD...
	local name=$1 want=$2 out rc
	shift 2
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc != 0 ] && [ $rc != 124 ] && printf '%s\n' "$out" | grep -q -- "$want"; then
		pass "$name"
	else
		fail "$name" "status $rc, output '$(printf '%s' "$out" | tr '\n' '|')'; expected a failure saying '$want'"
	fi
}

testlib_finish() {
	local rc=$? h
	# Died half-way (or the suite's own verdict was failure): never "0 failed".
	if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
		echo "FAIL suite-exit: exited with status $rc before its checks were done"
		failed=1
	fi
	for h in $testlib_hosts; do
		"$X" host stop "$h" >/dev/null 2>&1
	done
	echo "$passed $failed" > "$testlib_counts"
	rm -rf "$work"
}

testlib_begin() {
	testlib_counts=$1
	work=$(mktemp -d "/tmp/$2.XXXXXX")
	passed=0
	failed=0
	testlib_hosts=""
	trap testlib_finish EXIT
	trap 'echo "FAIL interrupted"; failed=$((failed + 1)); exit 1' INT TERM
}

testlib_host() { testlib_hosts="$testlib_hosts $1"; }

# The receiving toolstack's writes for a domain about to be restored, as
# tests/integration/toolstack.py lines: its home (owned by the guest, as
# xensim's introduce makes it) and the nodes the toolstack owns there.  A
# restore takes only what the guest could create itself on that host, so
# the home must be there first.
testlib_home() {	# DOMID PORT
	local d=$1 h=/local/domain/$1
	printf '%s\n' "$h - n$d" "$h/domid $d n0 r$d" "$h/name guest$d n0 r$d" \
		"$h/vm /vm/0000-$d n0 r$d" "$h/store/port $2 n0 r$d" "$h/store/ring-ref 1 n0 r$d" \
		"$h/control - n0 r$d" "$h/control/shutdown - n0 b$d"
}

# Writes those nodes on the host listening on SOCKET, as its toolstack.
testlib_write_home() {	# SOCKET DOMID PORT
	testlib_home "$2" "$3" |
		timeout 20 python3 "$(dirname "${BASH_SOURCE[0]}")/../integration/toolstack.py" "$1"
}
