#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only
# check-install: make install DESTDIR=... as a packager runs it, checked.
#
# What a distribution package gets from `make install DESTDIR=...`: the
# shared library under its ABI file name with its soname links, the static
# library, the header, the pkg-config file, the command, its man pages and
# bash completion; a C program (libxl is C) that builds against them with
# pkg-config alone and runs, linked dynamically and statically; and
# `make uninstall` removing all of it.  Works for any --libdir (multiarch)
# and any version: both are read from config.mk and lib/lib.mk, not assumed.
# Usage: check-install.sh COUNTS-FILE SCRATCH-DIR (under the build tree)
set -u
counts=$1
dest=$2
# shellcheck source=../lib/testlib.sh
. "$(dirname "$0")/../lib/testlib.sh"
testlib_counts "$counts"
rm -rf "$dest" && mkdir -p "$dest" || exit 1

var() { make --no-print-directory -s print-"$1"; }
libdir=$(var libdir)
bindir=$(var bindir)
mandir=$(var mandir)
includedir=$(var includedir)
bashcompdir=$(var bashcompdir)
so_file=$(var XSM_SO_FILE)
soname=$(var XSM_SONAME)

if make --no-print-directory install DESTDIR="$dest" > "$dest.log" 2>&1
then pass make-install
else fail make-install "$(tail -5 "$dest.log")"
fi
lib=$dest$libdir

for f in "$libdir/$so_file" "$libdir/libxsmigrate.a" "$includedir/xsmigrate.h" \
	"$libdir/pkgconfig/xsmigrate.pc" "$bindir/xsmigrate" "$mandir/man1/xsmigrate.1" \
	"$mandir/man7/xenstored-domain-state.7" "$bashcompdir/xsmigrate"; do
	if [ -f "$dest$f" ]
	then pass "installed $f"
	else fail "installed $f" "missing"
	fi
done
case $so_file in
$soname.*) pass so-file-follows-soname ;;
*) fail so-file-follows-soname "$so_file is not $soname.MINOR.PATCH" ;;
esac
if [ "$(readlink "$lib/$soname")" = "$so_file" ] &&
	[ "$(readlink "$lib/libxsmigrate.so")" = "$soname" ]
then pass soname-links
else fail soname-links "$(ls -l "$lib")"
fi
got=$(objdump -p "$lib/$so_file" 2>/dev/null | awk '/SONAME/ {print $2}')
if [ "$got" = "$soname" ]
then pass soname
else fail soname "SONAME is '$got'"
fi
# libxl loads it: nothing beyond what the toolstack already has.
needed=$(objdump -p "$lib/$so_file" | awk '/NEEDED/ {print $2}' | sort | tr '\n' ' ')
case $needed in
*yajl*|*gtest*|*benchmark*) fail needed-libs "links $needed" ;;
*) pass needed-libs ;;
esac

export PKG_CONFIG_SYSROOT_DIR="$dest" PKG_CONFIG_PATH="$lib/pkgconfig"
want="version 1 little records 9"
read -ra flags <<<"$(pkg-config --cflags --libs xsmigrate)"
if cc -std=c99 -Wall -Werror -o "$dest/user" tests/install/user.c "${flags[@]}" 2> "$dest/cc.err"; then
	pass c-program-builds
else
	fail c-program-builds "$(cat "$dest/cc.err")"
fi
out=$(LD_LIBRARY_PATH="$lib" "$dest/user" tests/vectors/v1-le-xen.xsm 2>&1)
if [ "$out" = "$want" ]
then pass c-program-runs
else fail c-program-runs "$out"
fi

# Static: the archive, and what pkg-config --static says it needs beyond it.
read -ra cflags <<<"$(pkg-config --cflags xsmigrate)"
read -ra static_libs <<<"$(pkg-config --static --libs xsmigrate | sed 's/-lxsmigrate//')"
if cc -std=c99 -Wall -Werror -o "$dest/user-static" tests/install/user.c \
	"${cflags[@]}" "$lib/libxsmigrate.a" "${static_libs[@]}" 2> "$dest/cc.err"; then
	pass c-program-links-static
else
	fail c-program-links-static "$(cat "$dest/cc.err")"
fi
out=$("$dest/user-static" tests/vectors/v1-le-xen.xsm 2>&1)
if [ "$out" = "$want" ]
then pass c-static-program-runs
else fail c-static-program-runs "$out"
fi
if ldd "$dest/user-static" | grep -q libxsmigrate
then fail static-is-static "$(ldd "$dest/user-static")"
else pass static-is-static
fi

# The installed completion, with bash-completion's helpers stubbed.
complete_words() {	# WORDS...: what completes the last one
	bash -c '_init_completion() { cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]};
		words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD; }
		_filedir() { COMPREPLY=(FILE); }
		. "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _xsmigrate; echo "${COMPREPLY[*]}"' \
		"$dest$bashcompdir/xsmigrate" "$@"
}
got="$(complete_words xsmigrate con)|$(complete_words xsmigrate convert --endian '')|$(complete_words xsmigrate restore --tr)"
if [ "$got" = "convert|big little|--trust-domid --trusted-stream" ]
then pass bash-completion
else fail bash-completion "$got"
fi

if make --no-print-directory uninstall DESTDIR="$dest" > "$dest.log" 2>&1
then pass make-uninstall
else fail make-uninstall "$(tail -5 "$dest.log")"
fi
left=$(find "$dest" \( -type f -o -type l \) ! -name 'user*' ! -name 'cc.err' | sed "s|^$dest||")
if [ -z "$left" ]
then pass uninstall-removes-all
else fail uninstall-removes-all "left: $left"
fi
rm -f "$dest.log"

[ "$failed" = 0 ]
