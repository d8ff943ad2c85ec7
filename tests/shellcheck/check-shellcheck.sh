#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only
# check-shellcheck: shellcheck over every shell script of the tree.
#
# Every shell script of the tree, found by name (*.sh), by its #! line
# (sh, bash, dash, or busybox sh: tests/e2e's dom0 and guest /init) or by
# a "shellcheck shell=" line: whatever its name.  Sourced files are
# followed (-x) from where each script sources them (tests/e2e's
# scripts name their /e2e/ sources with source= directives).
# Left out: configure (autoconf's output, not ours to edit).
# A finding is silenced only by a "# shellcheck disable=SCxxxx # why" line
# in the script itself: one without its why counts as a finding too.
# Usage: check-shellcheck.sh COUNTS-FILE (from the top of the tree)
# Prints "PASS shellcheck FILE" or "FAIL shellcheck FILE: N findings" and
# the findings, per script, and a closing count.
set -u

counts=${1:?usage: check-shellcheck.sh COUNTS-FILE}
# shellcheck source=../lib/testlib.sh
. "$(dirname "$0")/../lib/testlib.sh"
testlib_counts "$counts"

command -v shellcheck >/dev/null ||
	{ fail shellcheck "not installed (scripts/setup installs it: scripts/debian-packages)"; exit 1; }

is_shell() {	# FILE
	case $1 in
	configure) return 1 ;;
	*.sh) return 0 ;;
	esac
	head -n 1 "$1" | grep -Eq '^#! *(/usr)?/bin/(env +)?(sh|bash|dash|busybox sh)( |$)' ||
		head -n 5 "$1" | grep -q '^# shellcheck shell='
}

if git rev-parse --git-dir >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files -co --exclude-standard)
else
	mapfile -t files < <(find . -path ./build -prune -o -type f -print | sed 's|^\./||')
fi
scripts=()
for f in "${files[@]}"; do
	[ -f "$f" ] && is_shell "$f" && scripts+=("$f")
done
[ ${#scripts[@]} -gt 0 ] || { fail shellcheck "no shell script found"; exit 1; }

findings=0
for f in "${scripts[@]}"; do
	out=$(shellcheck -x -P SCRIPTDIR -f gcc "$f" 2>&1)
	rc=$?
	why=$(grep -n '^[[:space:]]*# *shellcheck disable=[A-Z0-9,]*[[:space:]]*$' "$f" |
		sed "s|^\([0-9]*\):.*|$f:\1:1: style: a disable without its reason|")
	[ -z "$why" ] || { out+=${out:+$'\n'}$why; rc=1; }
	if [ $rc = 0 ] && [ -z "$out" ]; then
		pass "shellcheck $f"
	else
		n=$(grep -c ': \(error\|warning\|note\|info\|style\): ' <<<"$out")
		[ "$n" -gt 0 ] || n="status $rc,"
		fail "shellcheck $f" "$n findings"
		printf '%s\n' "$out"
		findings=$((findings + ${n//[!0-9]/}))
	fi
done
echo "shellcheck: ${#scripts[@]} scripts, $passed clean, $failed with $findings findings"
[ "$failed" = 0 ]
