#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only
# Benchmark: a guest's xenstore state moved by the engine, by a per-node copy.
#
# One guest's xenstore state moved between simulated hosts, through the
# engine and, in the same pair, by a per-node copy (bench/domain_bench.cc),
# with xenstored as deployed: no -T trace.  For each size the domain holds
# SIZE nodes under /local/domain/N/data, 50 watches and an open transaction
# with pending nodes.  Each round moves it A -> B (destination empty), then
# B -> E (another empty one), E -> F (destination holding 50,000 other
# nodes), then back to A (not measured); before each measured move the same
# tree is first copied node by node to the destination (and removed again).
#
# Prints one line per pair, a table (min and median over the pairs) and a
# closing line per size.  Absolute times are those of a shared machine;
# the ratios of a pair are what to compare.  The full host's restore CPU is
# compared with the empty E's just before it, and E's with B's: the second
# is the spread this machine gives two equal restores, the floor against
# which the first can be read.
# The domain holds SIZE nodes under /local/domain/N/data (all that the
# engine moves: the toolstack's nodes are the toolstack's).
# Usage: domain_bench.sh BUILD_DIR [PAIRS] [SIZES...]
# Environment: XSM_BENCH_FILLER (50000) other nodes on the full host,
# XSM_BENCH_COPY_MAX (1000) largest size with the per-node copy.
set -eu
build=$(cd "$1" && pwd)
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../tests/lib/testlib.sh
. "$top/tests/lib/testlib.sh"
pairs=${2:-5}
shift $(($# > 1 ? 2 : 1))
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 50000)
filler=${XSM_BENCH_FILLER:-50000}
# The per-node copy takes seconds per pair above this size (10,000 nodes:
# ~25 s on the shared 2-core machine): run it there only on request.
copy_max=${XSM_BENCH_COPY_MAX:-1000}
X=$build/xensim/xensim
B=$build/bin/domain_bench
testlib_scratch xsm-bench
export XSM_STATE_DIR=$work XENSIM_TIMEOUT_MS=60000

sock() { echo "$work/$1/run/socket"; }
# The time the hypervisor ran something else on this VM's CPUs (steal) and
# all their time, in ticks: a run with steal measured the host's neighbours.
cpu_ticks() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= 9; i++) t += $i; print $9, t }' /proc/stat; }
pid() { cat "$work/$1/xenstored.pid"; }

for h in a b e f; do
	host_start "$work/$h" --no-trace
	# Room for the largest domain; the engine checks against these.
	for q in nodes:1000000 memory:1000000000 transaction-nodes:1000000; do
		on "$work/$h" "$XC" quota set "${q%:*}" "${q#*:}" >/dev/null
	done
done
"$B" fill "$(sock f)" /bench-filler "$filler"

data=$work/data
: >"$data"
read -r steal0 ticks0 < <(cpu_ticks)
domid=10
tx=""

# A fresh transaction with pending nodes on the guest's current host (the
# one before ends: restored without its nodes, it can only fail).
new_tx() { # HOST DOMID
	local out
	out=$( { [ -n "$tx" ] && echo "tx-end $tx"; echo tx-start; } |
		"$X" guest "$work/$1" "$2")
	tx=$(echo "$out" | sed -n 's/^tx //p')
	out=$(for k in 1 2 3 4 5; do echo "tx-write $tx /local/domain/$2/data/pending$k v$k"; done |
		"$X" guest "$work/$1" "$2")
	if [ -z "$tx" ] || [ "$(echo "$out" | grep -c '^OK$')" != 5 ]; then
		echo "domain_bench.sh: guest transaction failed: $out" >&2
		exit 1
	fi
}

# move SIZE KIND SRC DST: the domain from SRC to DST (KIND "-": not
# measured, no copy), one pair.
move() {
	local size=$1 kind=$2 src=$3 dst=$4 to=$((domid + 1)) port copy="copy - -" mig
	local -a r
	port=$("$X" domain move "$work/$src" "$work/$dst" "$domid" --as "$to" | sed -n 's/^port //p')
	if [ "$kind" != - ] && [ "$size" -le "$copy_max" ]; then
		copy=$("$B" copy "$(sock "$src")" "$(sock "$dst")" "$domid" "$to")
		"$B" rm "$(sock "$dst")" "/local/domain/$to"
	fi
	# The receiving toolstack's writes before a restore, as libxl's (not
	# timed: the restore takes only what the guest could create on B).
	testlib_write_home "$(sock "$dst")" "$to" "$port"
	mig=$("$B" migrate "$(sock "$src")" "$(sock "$dst")" "$domid" "$to" "$port" "$(pid "$src")" "$(pid "$dst")")
	"$X" domain destroy "$work/$src" "$domid" >/dev/null
	"$B" rm "$(sock "$src")" "/local/domain/$domid"
	domid=$to
	new_tx "$dst" "$domid"
	[ "$kind" = - ] && return
	# copy MS NODES migrate DOWNTIME SAVE RESTORE SAVE_CPU RESTORE_CPU OCTETS ENGINE_CPU
	read -ra r <<<"$copy $mig"
	# size kind copy_ms downtime save restore save_cpu restore_cpu octets engine_cpu
	echo "$size $kind ${r[1]} ${r[4]} ${r[5]} ${r[6]} ${r[7]} ${r[8]} ${r[9]} ${r[10]}" >>"$data"
	awk -v c="${r[1]}" -v m="${r[4]}" -v k="$kind" -v s="$size" 'BEGIN {
		printf "  %6d nodes, %-5s destination: engine %8.2f ms", s, k, m
		if (c != "-") printf ", copy %9.2f ms, ratio %6.1fx", c, c / m
		printf "\n" }'
}

for size in "${sizes[@]}"; do
	"$X" domain create "$work/a" $domid --introduce >/dev/null
	"$B" populate "$(sock a)" $domid "$size"
	{
		for w in $(seq 0 49); do echo "watch /local/domain/$domid/data/h0/g$((w % 10)) tok$w"; done
	} | "$X" guest "$work/a" $domid >/dev/null
	echo "events 50 5000" | "$X" guest "$work/a" $domid >/dev/null
	tx=""
	new_tx a $domid
	echo "size $size: $pairs pairs"
	for _ in $(seq "$pairs"); do
		move "$size" empty a b
		move "$size" empty2 b e
		move "$size" full e f
		move "$size" - f a nocopy
	done
	"$X" domain destroy "$work/a" $domid >/dev/null
	"$B" rm "$(sock a)" /local/domain/$domid
	domid=$((domid + 1))
done

read -r steal1 ticks1 < <(cpu_ticks)
echo
echo "steal: the hypervisor ran something else for $(( (steal1 - steal0) * 100 / (ticks1 - ticks0 + 1) ))% of this VM's CPU time during the run"
echo "xenstored without -T on every host; min / median over the pairs (a pair:"
echo "the per-node copy and the engine moving the same tree to the same host);"
echo "downtime = quiesce on the source to the end of the restore, transfer included;"
echo "CPU = what the engine and both xenstoreds ran during the downtime, the"
echo "downtime of an idle machine (the wall times are those of a shared one)."
awk -v filler="$filler" '
function sort(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
}
# "min|median" of column col over the rows of size s, destination k
function stat(col, s, k,   v, n, i) {
	n = 0
	for (i = 1; i <= rows; i++)
		if (S[i] == s && K[i] == k && V[col, i] != "-") v[++n] = V[col, i]
	if (!n) return "-|-"
	sort(v, n)
	return v[1] "|" (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2)
}
function part(x, i,   p) { split(x, p, "|"); return p[i] }
function two(x, fmt) {
	return part(x, 1) == "-" ? "-" : sprintf(fmt " / " fmt, part(x, 1), part(x, 2))
}
{
	rows++; S[rows] = $1; K[rows] = $2
	V["copy", rows] = $3; V["down", rows] = $4; V["save", rows] = $5; V["rest", rows] = $6
	V["scpu", rows] = $7 / $1; V["rcpu", rows] = $8 / $1
	V["dcpu", rows] = ($7 + $8 + $10) / 1000
	V["ratio", rows] = $3 == "-" ? "-" : $3 / $4
	if (!($1 in seen)) { seen[$1] = 1; order[++ns] = $1 }
	# A round moves to an empty host, to a second empty one, then to the
	# full one.  Each of the last two moves is compared with the move just
	# before it: the full host with an empty one, and two empty hosts, which
	# is what the machine alone makes of two equal restores.
	if ($2 == "empty2" && ($1 in prev)) AR[$1, ++na[$1]] = $8 / prev[$1]
	if ($2 == "full" && ($1 in prev)) PR[$1, ++np[$1]] = $8 / prev[$1]
	prev[$1] = $8
}
# "median|worst" of n ratios in R[s, 1..n]
function spread(R, s, n,   v, i) {
	if (!n) return "-|-"
	for (i = 1; i <= n; i++) v[i] = R[s, i]
	sort(v, n)
	return (n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2) "|" v[n]
}
END {
	printf "\n| nodes | destination | per-node copy ms | downtime ms | copy/engine | downtime CPU ms | save ms | restore ms | save CPU us/node | restore CPU us/node |\n"
	printf "|---|---|---|---|---|---|---|---|---|---|\n"
	for (i = 1; i <= ns; i++) for (kk = 1; kk <= 2; kk++) {
		s = order[i]; k = kk == 1 ? "empty" : "full"
		printf "| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", s,
			k == "empty" ? "empty" : filler " others",
			two(stat("copy", s, k), "%.1f"), two(stat("down", s, k), "%.2f"),
			two(stat("ratio", s, k), "%.1fx"), two(stat("dcpu", s, k), "%.2f"),
			two(stat("save", s, k), "%.2f"), two(stat("rest", s, k), "%.2f"),
			two(stat("scpu", s, k), "%.2f"), two(stat("rcpu", s, k), "%.2f")
	}
	base = order[1]
	printf "\n"
	for (i = 1; i <= ns; i++) {
		s = order[i]
		printf "%d nodes:", s
		r = stat("ratio", s, "empty")
		if (part(r, 1) != "-")
			printf " engine %.1fx (min) / %.1fx (median) the per-node copy,", part(r, 1), part(r, 2)
		printf " downtime median %.2f ms (CPU %.2f ms)", part(stat("down", s, "empty"), 2),
			part(stat("dcpu", s, "empty"), 2)
		if (s != base)
			printf ", %.1fx the %d-node CPU", part(stat("dcpu", s, "empty"), 2) / part(stat("dcpu", base, "empty"), 2), base
		pr = spread(PR, s, np[s])
		printf "; restore into a host with %d others: %.2fx the CPU of an empty one (median of %d pairs), %.2fx in the worst pair", filler,
			part(pr, 1), np[s], part(pr, 2)
		pr = spread(AR, s, na[s])
		printf "; two empty hosts, the same way: %.2fx (median), %.2fx in the worst pair\n", part(pr, 1), part(pr, 2)
	}
}' "$data"
