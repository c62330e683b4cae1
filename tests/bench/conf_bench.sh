#!/bin/sh
# How long lvsd -t takes on a config of 10,000 virtual services and
# 100,000 real servers, and how much memory it needs:
#
#   tests/bench/conf_bench.sh [VIRTUALS [REALS_PER_VIRTUAL]]
#
# Run from the top of the tree after make.  Prints the wall time of the
# best of three runs and the peak RSS; exits 1 if the parse fails.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
nv=${1:-10000}
nr=${2:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cf=$tmp/big.cf

awk -v nv="$nv" -v nr="$nr" 'BEGIN {
	print "checkinterval=5"
	print "quiescent=yes"
	for (v = 0; v < nv; v++) {
		printf "virtual=10.%d.%d.1:80\n", int(v / 256), v % 256
		print "\tservice=http"
		print "\trequest=\"/health\""
		print "\treceive=\"OK\""
		for (r = 0; r < nr; r++)
			printf "\treal=172.%d.%d.%d:8080 masq %d\n", 16 + int(v / 65536),
			    int(v / 256) % 256, (v % 256 + r) % 254 + 1, 1 + r % 3
	}
}' >"$cf"
echo "config: $nv virtual services, $((nv * nr)) real servers," \
	"$(wc -c <"$cf") bytes"

best=
for _ in 1 2 3; do
	start=$(date +%s%N)
	"$top/parent/lvsd" -t -f "$cf" 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	[ -z "$best" ] || [ "$ms" -lt "$best" ] && best=$ms
done
echo "lvsd -t: best of 3: $best ms"
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f "peak RSS: %M KiB" "$top/parent/lvsd" -t -f "$cf" \
	    2>&1 >/dev/null | grep 'peak RSS'
fi
