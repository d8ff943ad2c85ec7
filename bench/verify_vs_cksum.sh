#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-only
# `xsmigrate verify` of a ~14 MB stream next to `cksum` of the same file,
# both from the page cache, best of N runs each; prints the ratio.
# Usage: verify_vs_cksum.sh BUILD_DIR [RUNS]
set -eu
build=$1
runs=${2:-5}
f=$(mktemp /tmp/xsm-bench-XXXXXX.xsm)
trap 'rm -f "$f"' EXIT
"$build/bin/stream_bench" --emit "$f" 150000
"$build/bin/xsmigrate" verify "$f"
size=$(stat -c %s "$f")

best() {
	b=""
	i=0
	while [ $i -lt "$runs" ]; do
		s=$(date +%s%N)
		"$@" > /dev/null
		e=$(date +%s%N)
		t=$((e - s))
		if [ -z "$b" ] || [ $t -lt "$b" ]; then b=$t; fi
		i=$((i + 1))
	done
	echo "$b"
}

c=$(best cksum "$f")
v=$(best "$build/bin/xsmigrate" verify "$f")
echo "stream: $size octets"
echo "cksum:            $((c / 1000)) us"
echo "xsmigrate verify: $((v / 1000)) us"
awk -v v="$v" -v c="$c" 'BEGIN { printf "ratio verify/cksum: %.2f (target: at most about 3)\n", v / c }'
