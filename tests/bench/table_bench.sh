#!/bin/bash
# Where lvsd's time goes when it programs a large IPVS table (run in the
# IPVS test VM, as root):
#
#   tests/vm/run.sh bash tests/bench/table_bench.sh [VxR ...]
#
# For each size (default "10x4 1000x10"): lvsd starts on a checktype=on
# config of V virtuals x R reals; the time until /proc/net/ip_vs holds
# every destination, and the CPU seconds of each lvsd process by then.
# On the last size: a reload that changes one real's weight (time until
# the kernel shows it, netlink changes, CPU per process), then kill -9 of
# the checker and of ipvsd (time until ipvsd has applied the table again,
# and the netlink changes that caused).  BENCH_CAP: seconds per step (180).
set -u
# shellcheck source-path=SCRIPTDIR
. "$(dirname "$0")/lib.sh"
. "$BENCH_DIR/directors.sh"
trap 'dir_stop; bench_cleanup' EXIT

CAP=${BENCH_CAP:-180}

PROCS="lvsd lvsd-ipvsd lvsd-checker"

# proc_ticks NAME: CPU ticks of the running processes of that name
proc_ticks() {
	# shellcheck disable=SC2046
	tree_cpu_ticks $(pgrep -x "$1")
}

# cpu_split: "parent/ipvsd/checker" CPU seconds
cpu_split() {
	local n out=
	for n in $PROCS; do
		out+=$(awk -v t="$(proc_ticks "$n")" -v hz="$HZ" \
			'BEGIN { printf "%.2f/", t / hz }')
	done
	echo "${out%/}"
}

log_lines() { wc -l <"$BENCH_TMP/lvsd.log"; }
secs_since() { awk -v m=$(($(now_ms) - $1)) 'BEGIN { printf "%.2f", m / 1000 }'; }

# one_table VxR LAST
one_table() {
	local v=${1%x*} r=${1#*x} start line n
	n=$((v * r))
	ipvsadm -C
	lvsd_conf "$n" on "$v" >"$BENCH_TMP/lvsd.cf"
	start=$(now_ms)
	lvsd_start "$BENCH_TMP/lvsd.cf"
	if ! wait_until "$CAP" dests_at_least "$n"; then
		result "table ${1} s" lvsd ">$CAP ($(ip_vs_dests)/$n)"
		dir_stop
		return 1
	fi
	result "table ${1} s" lvsd "$(secs_since "$start")"
	result "table ${1} CPU s parent/ipvsd/checker" lvsd "$(cpu_split)"
	wait_until "$CAP" weight1_at_least "$n" || true
	result "table ${1} all weight 1 s" lvsd "$(secs_since "$start")"
	result "table ${1} all weight 1 CPU s" lvsd "$(cpu_split)"
	[ "$2" = last ] || { dir_stop; return 0; }
	wait_until "$CAP" lvsd_settled || true
	sleep 2
	reload_one "$1"
	restart_one "$1" lvsd-checker
	restart_one "$1" lvsd-ipvsd
	dir_stop
	[ -z "${VM_RESULTS:-}" ] || grep -v -e ' real [^ ]* of ' -e 'deleted (clean stop)' \
		"$BENCH_TMP/lvsd.log" | tail -n 3000 >"$VM_RESULTS/lvsd.log"
}

# reload_one VxR: real 0 of virtual 0 gets weight 2
reload_one() {
	local start line c0 vip1 real1
	vip 0
	real_addr 0
	vip1=$V:80
	real1=$A:$BENCH_PORT
	sed -i "0,/real=$real1 masq 1/s//real=$real1 masq 2/" \
		"$BENCH_TMP/lvsd.cf"
	c0=$(cpu_split)
	line=$(($(log_lines) + 1))
	start=$(now_ms)
	echo "$start reload" >>"${VM_RESULTS:-$BENCH_TMP}/marks"
	lvsd_reload "$BENCH_TMP/lvsd.cf"
	wait_until "$CAP" eval "ipvsadm -Ln -t $vip1 | grep -q ' $real1 .* 2 '"
	result "reload 1 weight in $1 s" lvsd "$(secs_since "$start")"
	wait_until "$CAP" lvsd_applied_since "$line"
	sleep 2
	result "reload 1 weight in $1: changes" lvsd "$(lvsd_changes_since "$line")"
	result "reload 1 weight in $1: CPU before, after" lvsd "$c0, $(cpu_split)"
}

# restart_one VxR PROCESS: kill -9, time until ipvsd applied the table
# (ipvsd) or the new checker applied its configuration (checker); then
# the netlink changes the restart caused, 3 s on
restart_one() {
	local start line
	line=$(($(log_lines) + 1))
	start=$(now_ms)
	kill -9 "$(pgrep -P "$dir_pid" -x "$2")"
	if [ "$2" = lvsd-ipvsd ]; then
		wait_until "$CAP" lvsd_applied_since "$line"
		echo "$start killed ipvsd" >>"${VM_RESULTS:-$BENCH_TMP}/marks"
		result "restart: kill -9 ipvsd, $1: s" lvsd "$(secs_since "$start")"
	else
		# back once the new checker has its configuration and, as
		# it has no probe to run (checktype=on), its states
		wait_until "$CAP" lvsd_checker_configured_since "$line"
		result "restart: kill -9 checker, $1: s" lvsd "$(secs_since "$start")"
	fi
	sleep 3
	result "restart: kill -9 ${2#lvsd-}, $1: changes" lvsd \
		"$(lvsd_changes_since "$line")"
}

[ -e /proc/net/ip_vs ] || modprobe ip_vs ||
	{ echo "bench: no IPVS here" >&2; exit 1; }
[ $# -gt 0 ] || set -- 10x4 1000x10
last=${!#}
for t in "$@"; do
	if [ "$t" = "$last" ]; then
		one_table "$t" last
	else
		one_table "$t" -
	fi
done
ipvsadm -C
cat "$BENCH_OUT"
