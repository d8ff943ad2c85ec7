#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only
# check-deb: the Debian packages, built from a copy of the tree and used.
#
# The Debian packages as a distribution builds and a user installs them:
# dpkg-buildpackage -us -uc -b on a copy of the source (the tree itself
# stays clean), without network or root beyond fakeroot; the three
# packages unpacked into a scratch root; a C program built against the
# unpacked libxsmigrate-dev with pkg-config alone, run against the
# unpacked libxsmigrate0; the unpacked command run; lintian (when
# installed) without errors.
# Usage: check-deb.sh COUNTS-FILE SCRATCH-DIR (under the build tree)
set -u
counts=$1
work=$2
# shellcheck source=../lib/testlib.sh
. "$(dirname "$0")/../lib/testlib.sh"
testlib_counts "$counts"

top=$(pwd)
rm -rf "$work" && mkdir -p "$work/src" "$work/root" || exit 1
# The files a release tarball has: tracked and new ones, nothing built.
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -co --exclude-standard -z |
		(cd "$top" && while IFS= read -r -d '' f; do [ ! -e "$f" ] || printf '%s\0' "$f"; done) |
		tar -C "$top" --null -T - -cf - | tar -C "$work/src" -xf -
else
	tar -C "$top" --exclude=./build --exclude=./config.mk --exclude=./config.status \
		--exclude=./config.log --exclude=./xsmigrate.pc -cf - . | tar -C "$work/src" -xf -
fi
if [ -f "$work/src/debian/control" ]
then pass source-copied
else fail source-copied "no debian/control"; exit 1
fi

# No network: an unreachable proxy for anything that tries.
if (cd "$work/src" && http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
	DEB_BUILD_OPTIONS="parallel=2 ${DEB_BUILD_OPTIONS:-}" \
	dpkg-buildpackage -us -uc -b) > "$work/build.log" 2>&1; then
	pass dpkg-buildpackage
else
	fail dpkg-buildpackage "$(tail -20 "$work/build.log")"
	exit 1
fi
version=$(dpkg-parsechangelog -l "$work/src/debian/changelog" -S Version)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for p in libxsmigrate0 libxsmigrate-dev xsmigrate; do
	deb="$work/${p}_${version}_$arch.deb"
	if [ -f "$deb" ]; then
		pass "built $p"
		dpkg-deb -x "$deb" "$work/root"
	else
		fail "built $p" "no $deb"
	fi
done

# Hardening from dpkg-buildflags reached the compiler and the linker.
if grep -q -- '-D_FORTIFY_SOURCE=2' "$work/build.log" && grep -q -- '-Wl,-z,relro' "$work/build.log"
then pass buildflags-honoured
else fail buildflags-honoured "no _FORTIFY_SOURCE or relro in the build log"
fi

root=$work/root
soname=$(objdump -p "$root/usr/lib/$ma"/libxsmigrate.so.0.* 2>/dev/null | awk '/SONAME/ {print $2}')
if [ "$soname" = libxsmigrate.so.0 ]
then pass "libxsmigrate0 has libxsmigrate.so.0"
else fail "libxsmigrate0 has libxsmigrate.so.0" "SONAME '$soname'"
fi
needed=$(objdump -p "$root/usr/lib/$ma"/libxsmigrate.so.0.* 2>/dev/null | awk '/NEEDED/ {print $2}' | tr '\n' ' ')
case $needed in
*yajl*) fail library-needs-no-yajl "NEEDED: $needed" ;;
*) pass library-needs-no-yajl ;;
esac
if dpkg-deb -f "$work/libxsmigrate0_${version}_$arch.deb" Depends 2>/dev/null | grep -q libxentoollog
then pass shlibs-depends
else fail shlibs-depends "no libxentoollog in Depends"
fi
case $needed in
*libxenstore*) fail library-needs-no-libxenstore "NEEDED: $needed" ;;
*) pass library-needs-no-libxenstore ;;
esac

export PKG_CONFIG_SYSROOT_DIR="$root" PKG_CONFIG_PATH="$root/usr/lib/$ma/pkgconfig"
read -ra flags <<<"$(pkg-config --cflags --libs xsmigrate)"
if cc -std=c99 -Wall -Werror -o "$work/user" tests/install/user.c "${flags[@]}" 2> "$work/cc.err"; then
	pass c-program-builds-against-dev
else
	fail c-program-builds-against-dev "$(cat "$work/cc.err")"
fi
out=$(LD_LIBRARY_PATH="$root/usr/lib/$ma" "$work/user" tests/vectors/v2-be.xsm 2>&1)
ldd_out=$(LD_LIBRARY_PATH="$root/usr/lib/$ma" ldd "$work/user" 2>&1 | grep libxsmigrate)
case "$out|$ldd_out" in
"version 2 big records "*"|"*"$root/usr/lib/$ma/libxsmigrate.so.0"*) pass c-program-runs ;;
*) fail c-program-runs "$out; $ldd_out" ;;
esac

out=$("$root/usr/bin/xsmigrate" --version 2>&1)
case $out in
"xsmigrate $version"*) pass command-version ;;
*) fail command-version "$out" ;;
esac
if "$root/usr/bin/xsmigrate" verify tests/vectors/v1-le-xen.xsm > "$work/verify.out" 2>&1
then pass command-verifies
else fail command-verifies "$(cat "$work/verify.out")"
fi

if command -v lintian >/dev/null; then
	lintian --fail-on error "$work/xsmigrate_${version}_$arch.changes" > "$work/lintian.log" 2>&1
	errors=$(grep -c '^E:' "$work/lintian.log")
	if [ "$errors" = 0 ]
	then pass "lintian: no errors ($(grep -c '^W:' "$work/lintian.log") warnings)"
	else fail lintian "$(grep '^E:' "$work/lintian.log")"
	fi
else
	echo "SKIP lintian: not installed (apt-get install lintian)"
fi
[ "$failed" = 0 ]
