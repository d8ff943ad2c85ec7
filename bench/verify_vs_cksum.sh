#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-only
# Benchmark: `xsmigrate verify` of a ~14 MB stream against `cksum` of it.
#
# Both read the file from the page cache, interleaved (cksum, verify,
# cksum, ...) so a busy machine slows both alike; best of N runs each;
# prints the ratio.
# Usage: verify_vs_cksum.sh BUILD_DIR [RUNS]
set -eu
build=$1
runs=${2:-5}
# shellcheck source=../tests/lib/testlib.sh
. "$(dirname "$0")/../tests/lib/testlib.sh"
testlib_scratch xsm-bench
f=$work/stream.xsm
"$build/bin/stream_bench" --emit "$f" 150000
"$build/bin/xsmigrate" verify "$f"
size=$(stat -c %s "$f")

# Nanoseconds one run of the command takes.
elapsed() {
	local s e
	s=$(date +%s%N)
	"$@" > /dev/null
	e=$(date +%s%N)
	echo $((e - s))
}

c="" v=""
i=0
while [ $i -lt "$runs" ]; do
	t=$(elapsed cksum "$f")
	if [ -z "$c" ] || [ "$t" -lt "$c" ]; then c=$t; fi
	t=$(elapsed "$build/bin/xsmigrate" verify "$f")
	if [ -z "$v" ] || [ "$t" -lt "$v" ]; then v=$t; fi
	i=$((i + 1))
done
echo "stream: $size octets; best of $runs each, interleaved"
echo "cksum:            $((c / 1000)) us"
echo "xsmigrate verify: $((v / 1000)) us"
awk -v v="$v" -v c="$c" 'BEGIN { printf "ratio verify/cksum: %.2f (target: at most 2)\n", v / c }'
