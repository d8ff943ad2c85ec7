#!/bin/sh
# What a distribution package gets from `make install DESTDIR=...`: the
# versioned shared library with its soname links, the static library, the
# header, the pkg-config file, the command and its man page; and a C
# program (libxl is C) that builds against them with pkg-config alone and
# runs.  Usage: check-install.sh COUNTS-FILE
set -u
counts=$1
dest=$(mktemp -d /tmp/xsm-install.XXXXXX)
trap 'rm -rf "$dest"' EXIT
passed=0
failed=0
pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

prefix=$(sed -n 's/^prefix *:= *//p' config.mk)
make --no-print-directory install DESTDIR="$dest" > "$dest.log" 2>&1 &&
	pass make-install || fail make-install "$(tail -5 "$dest.log")"
rm -f "$dest.log"
lib=$dest$prefix/lib

for f in lib/libxsmigrate.so.0.1.0 lib/libxsmigrate.a include/xsmigrate.h \
	lib/pkgconfig/xsmigrate.pc bin/xsmigrate share/man/man1/xsmigrate.1; do
	[ -f "$dest$prefix/$f" ] && pass "installed-$(basename "$f")" ||
		fail "installed-$(basename "$f")" "missing $prefix/$f"
done
[ "$(readlink "$lib/libxsmigrate.so.0")" = libxsmigrate.so.0.1.0 ] &&
	[ "$(readlink "$lib/libxsmigrate.so")" = libxsmigrate.so.0 ] &&
	pass soname-links || fail soname-links "$(ls -l "$lib")"
soname=$(objdump -p "$lib/libxsmigrate.so.0.1.0" 2>/dev/null | awk '/SONAME/ {print $2}')
[ "$soname" = libxsmigrate.so.0 ] && pass soname || fail soname "SONAME is '$soname'"

cat > "$dest/user.c" <<'EOC'
#include <fcntl.h>
#include <stdio.h>
#include <xsmigrate.h>

int main(int argc, char **argv)
{
    struct xsm_stream_info info;
    xsm_ctx *ctx = xsm_ctx_open(NULL, NULL, 0);
    int fd = open(argv[1], O_RDONLY);

    if (!ctx || fd < 0 || xsm_stream_verify(ctx, fd, XSM_LAYOUT_XEN, 0, &info)) {
        fprintf(stderr, "%s\n", ctx ? xsm_last_error(ctx) : "no context");
        return 1;
    }
    printf("version %u records %llu\n", info.version, (unsigned long long)info.records);
    xsm_ctx_close(ctx);
    return argc != 2;
}
EOC
export PKG_CONFIG_SYSROOT_DIR="$dest" PKG_CONFIG_PATH="$lib/pkgconfig"
if cc -std=c99 -Wall -Werror -o "$dest/user" "$dest/user.c" \
	$(pkg-config --cflags --libs xsmigrate) 2> "$dest/cc.err"; then
	pass c-program-builds
else
	fail c-program-builds "$(cat "$dest/cc.err")"
fi
out=$(LD_LIBRARY_PATH="$lib" "$dest/user" tests/vectors/v1-le-xen.xsm 2>&1)
[ "$out" = "version 1 records 9" ] && pass c-program-runs || fail c-program-runs "$out"

echo "$passed $failed" > "$counts"
[ "$failed" = 0 ]
