#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# Builds oxenstored against the simulated hypervisor (for make xensim).
#
# build-oxenstored.sh SRC OUT HVLIB: oxenstored of the Xen tree SRC
# (tools/ocaml: the mmap, eventchn, xc and xb bindings and xenstored),
# linked against the simulated hypervisor HVLIB (libxensim-hv.a) instead
# of libxenctrl/libxenevtchn, built in the directory OUT -> OUT/oxenstored.
#
# Xen's own OCaml makefiles need a configured tools tree; this compiles the
# same files in the same order (tools/ocaml/xenstored/Makefile's OBJS) so
# that nothing but the OCaml compiler is needed.  Three things differ:
#  - paths.ml (configure output) takes every directory from
#    $XENSTORED_RUNDIR, which xensim sets per host, so that a daemon
#    started without it never touches the real /run/xenstored;
#  - its descriptor limit stays under the hard one (osdep.c);
#  - the libxenctrl calls of the xc bindings that xensim does not provide
#    are generated stubs that abort: oxenstored never makes them.
set -eu

src=${1:?usage: build-oxenstored.sh SRC OUT HVLIB}
out=${2:?usage: build-oxenstored.sh SRC OUT HVLIB}
hvlib=${3:?usage: build-oxenstored.sh SRC OUT HVLIB}
command -v ocamlfind >/dev/null || {
	echo "build-oxenstored.sh: no ocamlfind (scripts/setup installs OCaml," \
		"see scripts/debian-packages)" >&2
	exit 1
}
src=$(cd "$src" && pwd)
hvlib=$(cd "$(dirname "$hvlib")" && pwd)/$(basename "$hvlib")
ocaml=$src/tools/ocaml
cc=${CC:-cc}

rm -rf "$out"
mkdir -p "$out/xb"
cd "$out"
for d in mmap eventchn xc; do
	cp "$ocaml/libs/$d"/*.ml "$ocaml/libs/$d"/*.mli "$ocaml/libs/$d"/*.c .
done
cp "$ocaml/libs/mmap/mmap_stubs.h" .
cp "$ocaml/libs/xb"/*.ml "$ocaml/libs/xb"/*.mli "$ocaml/libs/xb"/*.c xb/
cp "$ocaml/xenstored"/*.ml "$ocaml/xenstored"/*.mli "$ocaml/xenstored"/*.c .
perl -w "$ocaml/libs/xc/abi-check" xenctrl_stubs.c xenctrl.ml > xenctrl_abi_check.h
cat > paths.ml <<'ML'
let rundir =
	try Sys.getenv "XENSTORED_RUNDIR"
	with Not_found -> "/nonexistent/xensim-sets-XENSTORED_RUNDIR"
let xen_log_dir = rundir
let xen_config_dir = rundir
let xen_run_dir = rundir
let xen_run_stored = rundir
ML

camlinc=$(ocamlfind ocamlc -where)
# select_stubs.c raises the descriptor limit: see osdep.c.
for c in *.c xb/*.c; do
	extra=
	[ "$c" != select_stubs.c ] || extra=-Dsetrlimit=xensim_osdep_setrlimit
	"$cc" ${extra:+"$extra"} -O2 -fPIC -fno-strict-aliasing -D__XEN_TOOLS__ -I"$camlinc" -I. \
		-Ixb -idirafter "$src/tools/include" -c "$c" -o "${c%.c}.o"
done

# The xc bindings' libxenctrl calls that the simulated host lacks.
nm -u xenctrl_stubs.o | awk '$2 ~ /^xc_/ {print $2}' | sort -u > xc-wanted
nm --defined-only "$hvlib" | awk '$2 == "T" && $3 ~ /^xc_/ {print $3}' |
	sort -u > xc-have
comm -23 xc-wanted xc-have | while read -r f; do
	printf 'void %s(void);\nvoid %s(void) { abort(); }\n' "$f" "$f"
done > xc-unused.c.body
{ echo '#include <stdlib.h>'; cat xc-unused.c.body; } > xc-unused.c
"$cc" -c xc-unused.c -o xc-unused.o

# opt ARGS: the native compiler, with -I for the packed Xenbus once built.
# shellcheck disable=SC2086 # xbinc: nothing, or "-I DIR" as two words
opt() { ocamlfind ocamlopt -package unix -g -w -a $xbinc "$@"; }
xbinc=
for m in xenmmap xeneventchn xenctrl; do
	opt -c "$m".mli
	opt -c "$m".ml
done
# The xb library is packed as Xenbus (xenstored has a packet.ml too).
(
	cd xb
	for m in op partial packet xs_ring xb; do
		[ ! -f "$m".mli ] || opt -I .. -for-pack Xenbus -c "$m".mli
		opt -I .. -for-pack Xenbus -c "$m".ml
	done
	opt -pack -o xenbus.cmx op.cmx partial.cmx packet.cmx xs_ring.cmx xb.cmx
)
mkdir -p xbpack
mv xb/xenbus.cmi xb/xenbus.cmx xb/xenbus.o xbpack/
xbinc="-I xbpack"
# The daemon's modules in its makefile's order (OBJS), after the
# libraries it builds itself.
mods="syslog poll systemd ringdirty $(sed -n '/^OBJS = /,/^$/p' "$ocaml/xenstored/Makefile" |
	sed -e 's/^OBJS = //' -e 's/\\//g' | tr -s ' \t\n' ' ')"
for m in symbol trie syslog poll systemd ringdirty; do
	opt -c "$m".mli
done
for m in $mods; do
	[ ! -f "$m".mli ] || [ -f "$m".cmi ] || opt -c "$m".mli
	opt -c "$m".ml
done
# shellcheck disable=SC2046 # module names, one word each
opt -linkpkg -o oxenstored xenmmap.cmx xeneventchn.cmx xenctrl.cmx \
	xbpack/xenbus.cmx $(for m in $mods; do echo "$m.cmx"; done) \
	xenmmap_stubs.o xeneventchn_stubs.o xenctrl_stubs.o \
	xb/xs_ring_stubs.o xb/xenbus_stubs.o \
	syslog_stubs.o select_stubs.o systemd_stubs.o ringdirty_stubs.o xc-unused.o \
	-cclib "$hvlib"
