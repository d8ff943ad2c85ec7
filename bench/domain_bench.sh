#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only
# One guest's xenstore state moved between simulated hosts, through the
# engine and, in the same pair, by a per-node copy (bench/domain_bench.cc),
# with xenstored as deployed: no -T trace.  For each size the domain holds
# SIZE nodes under /local/domain/N/data, 50 watches and an open transaction
# with pending nodes.  Each round moves it A -> B (destination empty), then
# B -> F (destination holding 50,000 other nodes), then back to A (not
# measured); before each measured move the same tree is first copied node
# by node to the destination (and removed again).
#
# Prints one line per pair, a table (min and median over the pairs) and a
# closing line per size.  Absolute times are those of a shared machine;
# the ratios of a pair are what to compare.
# Usage: domain_bench.sh BUILD_DIR [PAIRS] [SIZES...]
set -eu
build=$(cd "$1" && pwd)
pairs=${2:-5}
shift $(($# > 1 ? 2 : 1))
sizes=${*:-1000 10000 50000}
filler=${XSM_BENCH_FILLER:-50000}
X=$build/xensim/xensim
B=$build/bin/domain_bench
XC=/usr/lib/xen-4.17/bin/xenstore-control
work=$(mktemp -d /tmp/xsm-bench.XXXXXX)
export XSM_STATE_DIR=$work XENSIM_TIMEOUT_MS=60000
trap 'for h in a b f; do "$X" host stop "$work/$h" >/dev/null 2>&1; done; rm -rf "$work"' EXIT

sock() { echo "$work/$1/run/socket"; }
pid() { cat "$work/$1/xenstored.pid"; }

for h in a b f; do
	"$X" host start "$work/$h" --no-trace >/dev/null
	# Room for the largest domain; the engine checks against these.
	for q in "nodes 1000000" "memory 1000000000" "transaction-nodes 1000000"; do
		XENSTORED_PATH=$(sock $h) "$XC" quota set $q >/dev/null
	done
done
"$B" fill "$(sock f)" /bench-filler "$filler"

data=$work/data
: >"$data"
domid=10
tx=""

# A fresh transaction with pending nodes on the guest's current host.
new_tx() { # HOST DOMID
	local out
	out=$( { [ -n "$tx" ] && echo "tx-end $tx abort"; echo tx-start; } |
		"$X" guest "$work/$1" "$2")
	tx=$(echo "$out" | sed -n 's/^tx //p')
	for k in 1 2 3 4 5; do echo "tx-write $tx /local/domain/$2/data/pending$k v$k"; done |
		"$X" guest "$work/$1" "$2" >/dev/null
}

# move SIZE KIND SRC DST [nocopy]: the domain from SRC to DST.
move() {
	local size=$1 kind=$2 src=$3 dst=$4 to=$((domid + 1)) port copy mig
	port=$("$X" domain move "$work/$src" "$work/$dst" $domid --as $to | sed -n 's/^port //p')
	if [ $# -lt 5 ]; then
		copy=$("$B" copy "$(sock $src)" "$(sock $dst)" $domid $to)
		"$B" rm "$(sock $dst)" /local/domain/$to
	fi
	mig=$("$B" migrate "$(sock $src)" "$(sock $dst)" $domid $to "$port" "$(pid $src)" "$(pid $dst)")
	"$X" domain destroy "$work/$src" $domid >/dev/null
	"$B" rm "$(sock $src)" /local/domain/$domid
	domid=$to
	new_tx "$dst" $domid
	if [ $# -lt 5 ]; then
		set -- $copy $mig
		# size kind copy_ms nodes downtime save restore save_cpu restore_cpu octets
		echo "$size $kind $2 $3 $5 $6 $7 $8 $9 ${10}" >>"$data"
		awk -v c="$2" -v m="$5" -v k="$kind" -v s="$size" -v n="$3" \
			'BEGIN { printf "  %6d nodes, %-5s destination: copy %9.2f ms, engine %8.2f ms, ratio %6.1fx\n", n, k, c, m, c / m }'
	fi
}

for size in $sizes; do
	"$X" domain create "$work/a" $domid --introduce >/dev/null
	"$B" populate "$(sock a)" $domid "$size"
	{
		for w in $(seq 0 49); do echo "watch /local/domain/$domid/data/g$((w % 10)) tok$w"; done
	} | "$X" guest "$work/a" $domid >/dev/null
	echo "events 50 5000" | "$X" guest "$work/a" $domid >/dev/null
	tx=""
	new_tx a $domid
	echo "size $size: $pairs pairs"
	for p in $(seq "$pairs"); do
		move "$size" empty a b
		move "$size" full b f
		move "$size" - f a nocopy
	done
	"$X" domain destroy "$work/a" $domid >/dev/null
	"$B" rm "$(sock a)" /local/domain/$domid
	domid=$((domid + 1))
done

echo
echo "xenstored without -T on every host; min / median over the pairs;"
echo "downtime = quiesce on the source to the end of the restore, transfer included;"
echo "CPU = xenstored's own (schedstat), per node of the domain."
awk -v filler="$filler" '
function sort(a, n,   i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
}
function med(a, n) { sort(a, n); return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
function mn(a, n) { sort(a, n); return a[1] }
function stat(col, s, k,   v, n, i) {
	n = 0
	for (i = 1; i <= rows; i++)
		if (S[i] == s && K[i] == k) v[++n] = col == "ratio" ? C[i] / D[i] : V[col, i]
	cnt = n
	return sprintf("%s|%s", mn(v, n), med(v, n))
}
{
	rows++; S[rows] = $1; K[rows] = $2; C[rows] = $3; N[$1] = $4; D[rows] = $5
	V["copy", rows] = $3; V["down", rows] = $5; V["save", rows] = $6; V["rest", rows] = $7
	V["scpu", rows] = $8 / $4; V["rcpu", rows] = $9 / $4; V["oct", rows] = $10
	if (!($1 in seen)) { seen[$1] = 1; order[++ns] = $1 }
}
function two(x, fmt,   p) { split(x, p, "|"); return sprintf(fmt " / " fmt, p[1], p[2]) }
function first(x,   p) { split(x, p, "|"); return p[1] }
function second(x,   p) { split(x, p, "|"); return p[2] }
END {
	printf "\n| nodes | destination | per-node copy ms | downtime ms | ratio copy/engine | save ms | restore ms | save CPU us/node | restore CPU us/node |\n"
	printf "|---|---|---|---|---|---|---|---|---|\n"
	for (i = 1; i <= ns; i++) for (kk = 1; kk <= 2; kk++) {
		s = order[i]; k = kk == 1 ? "empty" : "full"
		printf "| %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", N[s],
			k == "empty" ? "empty" : filler " others",
			two(stat("copy", s, k), "%.1f"), two(stat("down", s, k), "%.2f"),
			two(stat("ratio", s, k), "%.1fx"), two(stat("save", s, k), "%.2f"),
			two(stat("rest", s, k), "%.2f"), two(stat("scpu", s, k), "%.2f"),
			two(stat("rcpu", s, k), "%.2f")
		med_down[s, k] = second(stat("down", s, k))
		med_rcpu[s, k] = second(stat("rest", s, k))
		min_ratio[s, k] = first(stat("ratio", s, k))
		med_ratio[s, k] = second(stat("ratio", s, k))
	}
	base = order[1]
	printf "\n"
	for (i = 1; i <= ns; i++) {
		s = order[i]
		printf "%d nodes: engine %.1fx (min) / %.1fx (median) faster than the per-node copy, downtime median %.2f ms",
			N[s], min_ratio[s, "empty"], med_ratio[s, "empty"], med_down[s, "empty"]
		printf ", %.2fx the %d-node downtime", med_down[s, "empty"] / med_down[base, "empty"], N[base]
		printf ", restore into a %d-node host %.2fx of an empty one\n", filler,
			med_rcpu[s, "full"] / med_rcpu[s, "empty"]
	}
}' "$data"
