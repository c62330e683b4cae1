#!/bin/bash
# Every config in conf/examples/ is one a user may copy: lvsd -t must
# accept it as it stands, with no error and no warning (a warning there
# means lvsd would refuse to start with it, or ignore part of it).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
lvsd=$top/parent/lvsd
n=0 failed=0
result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else
		failed=$((failed + 1)); echo "not ok $n - $2"; fi
	return "$1"
}

for cf in "$top"/conf/examples/*.cf; do
	name=conf/examples/${cf##*/}
	out=$("$lvsd" -t -f "$cf" 2>&1)
	rc=$?
	[ "$rc" = 0 ]
	result $? "$name: lvsd -t exits 0" || printf '#   %s\n' "$out"
	[ "$out" = "$cf: configuration OK" ]
	result $? "$name: says only that it is OK" ||
		printf '#   %s\n' "${out//$'\n'/$'\n#   '}"
done
[ "$n" -ge 16 ]
result $? "at least 8 examples were read"
echo "1..$n"
[ "$failed" = 0 ]
