#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only
# Profile: xenstored's instructions in save-domain and restore-domain.
#
# One move of a domain of SIZE nodes (as in domain_bench.sh) from host A to
# host B, B optionally holding FILLER other nodes, both daemons under
# callgrind collecting only inside those two commands.  Instruction
# counts do not depend on how busy the machine is.  Prints the inclusive
# top entries of each side and the instructions per node.  With CACHE=1
# callgrind also simulates a 48 KiB L1 and a 1 MiB last level (this
# machine's L1 and its share of L2) and prints the last-level misses of
# each side, which the instructions do not show: what a host full of
# other nodes costs a restore in memory traffic.
# Usage: [CACHE=1] domain_profile.sh BUILD_DIR [SIZE] [FILLER] [XENSTORED]
set -eu
build=$(cd "$1" && pwd)
size=${2:-1000}
filler=${3:-0}
bin=${4:-$build/xensim/xenstored-patched}
X=$build/xensim/xensim
B=$build/bin/domain_bench
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../tests/lib/testlib.sh
. "$top/tests/lib/testlib.sh"
testlib_scratch xsm-prof	# KEEP=1 keeps it
export XSM_STATE_DIR=$work XENSIM_TIMEOUT_MS=120000
# Under valgrind the daemon's command line is valgrind's, which `xensim
# host stop` does not take for a xenstored: stop them by pid as well.
stop() {
	local pid h
	for h in a b; do
		pid=$(cat "$work/$h/xenstored.pid" 2>/dev/null) || pid=""
		"$X" host stop "$work/$h" >/dev/null 2>&1
		[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
		rm -f "$work/$h/xenstored.pid"
	done
	return 0
}
testlib_at_exit stop

cachesim=""
[ "${CACHE:-0}" = 1 ] && cachesim="--cache-sim=yes --D1=49152,12,64 --LL=1048576,16,64"
cat >"$work/wrap" <<WRAP
#!/bin/sh
exec valgrind --tool=callgrind $cachesim --callgrind-out-file=\$XENSIM_HOST/callgrind.out \
	--toggle-collect=do_control_save_domain --toggle-collect=do_control_restore_domain \
	"$bin" "\$@" 2>>\$XENSIM_HOST/valgrind.log
WRAP
chmod +x "$work/wrap"
sock() { echo "$work/$1/run/socket"; }
for h in a b; do
	XENSIM_XENSTORED=$work/wrap "$X" host start "$work/$h" --no-trace >/dev/null
	# Not under on's timeout: a daemon under valgrind is slow to answer.
	for q in nodes:1000000 memory:1000000000; do
		XENSTORED_PATH=$(sock "$h") "$XC" quota set "${q%:*}" "${q#*:}" >/dev/null
	done
done
[ "$filler" -gt 0 ] && "$B" fill "$(sock b)" /bench-filler "$filler"
"$X" domain create "$work/a" 10 --introduce >/dev/null
"$B" populate "$(sock a)" 10 "$size"
port=$("$X" domain move "$work/a" "$work/b" 10 --as 11 | sed -n 's/^port //p')
# The receiving toolstack's writes before a restore (not profiled).
testlib_write_home "$(sock b)" 11 "$port"
# The engine's own side too, under callgrind as well.
valgrind --tool=callgrind --callgrind-out-file="$work/engine.out" "$B" migrate \
	"$(sock a)" "$(sock b)" 10 11 "$port" "$(cat "$work/a/xenstored.pid")" \
	"$(cat "$work/b/xenstored.pid")" >/dev/null 2>"$work/engine.log"
for h in a b; do
	callgrind_control -d "$(cat "$work/$h/xenstored.pid")" >/dev/null
done
stop

for h in a b engine; do
	[ $h = engine ] && what="the engine (domain_bench migrate: save, transfer, restore)"
	[ $h = a ] && what="save-domain of $size nodes"
	[ $h = b ] && what="restore-domain of $size nodes into a host with $filler others"
	for out in "$work/$h"/callgrind.out.* "$work/$h.out"; do
		[ -e "$out" ] && break
	done
	total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1 }')
	echo "== $what: $total instructions, $((total / size)) per node"
	[ -z "$cachesim" ] || callgrind_annotate --show=DLmr,DLmw "$out" 2>/dev/null |
		awk '/PROGRAM TOTALS/ { gsub(",", ""); print "   last-level misses: " $1 " reads, " $3 " writes" }'
	callgrind_annotate --inclusive=yes "$out" 2>/dev/null |
		awk '/^-+$/ { n++ } n >= 3 && /\(/' | sed 's/ \[[^]]*\]//; s|  [^ ]*/|  |' |
		awk '!seen[$NF]++' | grep -v -E 'TOTALS|libc_start|below main|0x0|[ :]main$|process_message|do_control$|_dl_start|_start$' | head -n "${TOP:-14}"
done
