#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only
# Save + restore of a domain with 1,000 nodes and 50 watches through the
# engine, next to a per-node copy of the same nodes (xs_directory /
# xs_read / xs_get_permissions per node), against real xenstored on two
# simulated hosts (the copy goes to a third, where the domain exists so
# that its permissions are valid).  Prints both and the ratio; best of
# RUNS each.
# Usage: domain_bench.sh BUILD_DIR [RUNS]
set -eu
build=$(cd "$1" && pwd)
runs=${2:-5}
X=$build/xensim/xensim
B=$build/bin/domain_bench
work=$(mktemp -d /tmp/xsm-bench.XXXXXX)
export XSM_STATE_DIR=$work XENSIM_TIMEOUT_MS=10000
trap 'for h in a b c; do "$X" host stop "$work/$h" >/dev/null 2>&1; done; rm -rf "$work"' EXIT

for h in a b c; do "$X" host start "$work/$h" >/dev/null; done
best_copy="" best_mig=""
for run in $(seq "$runs"); do
	d=$((10 + run))
	"$X" domain create "$work/a" $d --introduce >/dev/null
	{
		for i in $(seq 0 9); do
			for j in $(seq 0 98); do echo "write /local/domain/$d/data/g$i/n$j value-$i-$j"; done
		done
		for w in $(seq 0 49); do echo "watch /local/domain/$d/data/g$((w % 10)) tok$w"; done
	} | "$X" guest "$work/a" $d >/dev/null
	echo "events 50 2000" | "$X" guest "$work/a" $d >/dev/null
	nodes=$(XENSTORED_PATH=$work/a/run/socket xenstore-ls /local/domain/$d | wc -l)

	"$X" domain create "$work/c" $d >/dev/null
	copy=$("$B" copy "$work/a/run/socket" "$work/c/run/socket" /local/domain/$d /local/domain/$d)
	port=$("$X" domain move "$work/a" "$work/b" $d | sed -n 's/^port //p')
	mig=$("$B" migrate "$work/a/run/socket" "$work/b/run/socket" $d "$port")
	c=$(echo "$copy" | awk '{print $2}')
	m=$(echo "$mig" | awk '/^save\+restore/ {print $2}')
	if [ -z "$best_copy" ] || awk -v a="$c" -v b="$best_copy" 'BEGIN{exit !(a<b)}'; then best_copy=$c; fi
	if [ -z "$best_mig" ] || awk -v a="$m" -v b="$best_mig" 'BEGIN{exit !(a<b)}'; then best_mig=$m; fi
done
echo "domain: $((nodes + 1)) nodes under /local/domain/N, 50 watches; best of $runs"
echo "per-node copy (xs_directory/xs_read/xs_get_permissions + writes): $best_copy ms"
echo "$mig" | sed 's/^/last run: /'
echo "engine save+restore: $best_mig ms"
awk -v c="$best_copy" -v m="$best_mig" \
	'BEGIN { printf "ratio copy / (save+restore): %.1fx (aim: at least 10x, and under 5 ms)\n", c / m }'
