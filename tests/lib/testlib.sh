# SPDX-License-Identifier: LGPL-2.1-only
# shellcheck shell=bash
# The host-side shell library: results, scratch directory, bounded waits.
#
# Sourced, not run: PASS/FAIL lines and their counts, a scratch directory
# and what else is undone at exit, bounded waits; and, from
# tests/lib/host.sh, the simulated hosts.  A suite:
#
#   . tests/lib/testlib.sh
#   testlib_begin COUNTS-FILE TAG     # counts, and $work removed at exit
#   expect NAME EXPECTED ACTUAL
#   expect_error NAME WANT-IN-MESSAGE CMD...   # CMD must fail saying so
#   [ "$failed" = 0 ]                 # the suite's verdict, its exit status
#
# At exit "<passed> <failed>" goes to COUNTS-FILE, whatever happened; a
# suite exiting non-zero with no failure counted gets one.  A script that
# only wants a scratch directory (a benchmark) calls testlib_scratch TAG,
# one that only counts (its scratch directory is kept) testlib_counts FILE.

passed=0
failed=0
testlib_counts_file=""
testlib_scratch_dir=""
testlib_at_exit_cmds=()
# Seconds any one client command may take (on, xsm, ctl, $T CMD).
testlib_timeout=${testlib_timeout:-10}
# shellcheck disable=SC2034 # for the scripts sourcing this one
T="timeout $testlib_timeout"

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

# CMD... polled every 50 ms until it succeeds, for at most SECONDS (a
# multiple of 0.05); its last status.  Never sleeps after a success.
wait_until() {	# SECONDS CMD...
	local tries i
	tries=$(awk -v s="$1" 'BEGIN { printf "%d", s * 20 }')
	shift
	for ((i = 1; ; i++)); do
		"$@" && return 0
		[ "$i" -ge "$tries" ] && return 1
		sleep 0.05
	done
}

# FUNCTION runs at exit, before the scratch directory goes (hosts to stop).
testlib_at_exit() { testlib_at_exit_cmds+=("$1"); }

testlib_exit() {
	local rc=$? c
	# Died half-way (or the suite's own verdict was failure): never "0 failed".
	if [ -n "$testlib_counts_file" ] && [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
		echo "FAIL suite-exit: exited with status $rc before its checks were done"
		failed=1
	fi
	for c in "${testlib_at_exit_cmds[@]}"; do
		"$c"
	done
	[ -z "$testlib_counts_file" ] || echo "$passed $failed" > "$testlib_counts_file"
	# KEEP=1 leaves the scratch directory for a look afterwards.
	[ -z "$testlib_scratch_dir" ] || [ -n "${KEEP:-}" ] || rm -rf "$testlib_scratch_dir"
	return "$rc"
}

testlib_traps() {
	trap testlib_exit EXIT
	trap '[ -z "$testlib_counts_file" ] || { echo "FAIL interrupted"; failed=$((failed + 1)); }; exit 1' INT TERM
}

testlib_counts() {	# COUNTS-FILE
	testlib_counts_file=$1
	testlib_traps
}

testlib_scratch() {	# TAG: $work, a new directory under /tmp
	work=$(mktemp -d "/tmp/$1.XXXXXX") || exit 1
	testlib_scratch_dir=$work
	testlib_traps
}

testlib_begin() {	# COUNTS-FILE TAG
	testlib_counts "$1"
	testlib_scratch "$2"
}

# shellcheck source=host.sh
. "$(dirname "${BASH_SOURCE[0]}")/host.sh"
