#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only
# check-licence: every source file's SPDX licence line.
#
# Every source file names its licence in an SPDX-License-Identifier line
# near its top (after a #! line): GPL-2.0-only for what is linked with
# xenstored's sources (tests/xensim/) or changes Xen's GPL files
# (libxl-patches/, whose README carries the line for the patches, as
# `patch` must read them unchanged); LGPL-2.1-only for everything else.
# Files that are not source (data, generated, licence texts) are listed
# below by name, so a new kind of file fails until it is classified.
# Usage: check-licence.sh COUNTS-FILE
set -u
counts=$1
# shellcheck source=../lib/testlib.sh
. "$(dirname "$0")/../lib/testlib.sh"
testlib_counts "$counts"

expected() {
	case $1 in
	tests/xensim/*|libxl-patches/*) echo GPL-2.0-only ;;
	*) echo LGPL-2.1-only ;;
	esac
}

# Not source: binary stream vectors, generated files, licence texts,
# prose whose licence COPYING states, packaging metadata without comments.
skipped() {
	case $1 in
	*.xsm|configure|aclocal.m4|COPYING*|README|NEWS|.gitignore) return 0 ;;
	libxl-patches/*.patch|libxl-patches/series) return 0 ;;
	debian/changelog|debian/control|debian/copyright|debian/source/format) return 0 ;;
	debian/*.install|debian/*.docs|debian/*.symbols) return 0 ;;
	esac
	return 1
}

if git rev-parse --git-dir >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files -co --exclude-standard)
else
	mapfile -t files < <(find . -path ./build -prune -o -type f -print | sed 's|^\./||')
fi
for f in "${files[@]}"; do
	[ -f "$f" ] || continue
	skipped "$f" && continue
	want=$(expected "$f")
	got=$(head -n 3 "$f" | sed -n 's/.*SPDX-License-Identifier: *\([A-Za-z0-9.+-]*\).*/\1/p' | head -n 1)
	if [ "$got" = "$want" ]; then
		passed=$((passed + 1))
	elif [ -z "$got" ]; then
		fail "$f" "no SPDX-License-Identifier line in its first 3 lines (want $want)"
	else
		fail "$f" "SPDX-License-Identifier $got, want $want"
	fi
done
if [ ! -f libxl-patches/README ] || [ "$(expected libxl-patches/README)" != GPL-2.0-only ]; then
	fail libxl-patches/README "missing (it carries the patches' licence)"
fi
echo "licence: $passed files with the right SPDX line, $failed without"
[ "$failed" = 0 ]
