#!/bin/bash
# Reload and status at scale, in the IPVS test VM:
#	tests/vm/run.sh bash tests/bench/reload_bench.sh [REALS]
# One virtual service with REALS (default 1000) reals, checktype=on; then a
# reload that changes one weight (1 netlink operation expected), an
# identical reload (0), and how long show, show --json and metrics take,
# beside ipvsadm -Ln.  Prints figures; not a test.
. "$(dirname "$0")/../integration/lib.sh"
. "$(dirname "$0")/../integration/lvsd.sh"
n=${1:-1000}
lvsd=$LVSD_TOP/parent/lvsd
ipvsadm -C
on_exit "ipvsadm -C"
gen() {
	printf 'checkinterval=5\nquiescent=no\n\nvirtual=127.0.0.200:80\n\tchecktype=on\n'
	for ((i = 0; i < n; i++)); do
		printf '\treal=127.%d.%d.%d:80 masq %d\n' $((1 + i / 40000)) \
			$((10 + i / 200 % 200)) $((i % 200 + 1)) \
			$([ $i = $((n / 2)) ] && echo "$1" || echo 1)
	done
}
timed() {
	local start=$EPOCHREALTIME out
	out=$("$@" 2>&1)
	printf '%-40s %6.3f s  %s\n' "${*##*/}" \
		"$(echo "$EPOCHREALTIME - $start" | bc)" "$(printf '%s' "$out" | head -c 120 | tr '\n' ' ')"
}
gen 1 >"$LVSD_CF"
chmod 0644 "$LVSD_CF"
lvsd_start
wait_for 300 eval '[ $(ipvsadm -Ln | grep -c "^  ->") -ge $n ]' ||
	{ echo "the $n reals did not all come up"; exit 1; }
gen 9 >"$LVSD_CF"
timed "$lvsd" -f "$LVSD_CF" reload
timed "$lvsd" -f "$LVSD_CF" reload
for cmd in show "show --json" metrics; do
	start=$EPOCHREALTIME
	# shellcheck disable=SC2086
	"$lvsd" -f "$LVSD_CF" $cmd >/dev/null
	printf '%-40s %6.3f s\n' "lvsd $cmd" "$(echo "$EPOCHREALTIME - $start" | bc)"
done
start=$EPOCHREALTIME
ipvsadm -Ln >/dev/null
printf '%-40s %6.3f s\n' "ipvsadm -Ln" "$(echo "$EPOCHREALTIME - $start" | bc)"
"$lvsd" -f "$LVSD_CF" stop
# lib.sh is a TAP library: say that this script ran to its end
done_testing >/dev/null
