# shellcheck shell=bash disable=SC2034
# make bench's helpers, sourced by the bench scripts (bash).
#
#   farm_start N [INTERVAL_MS]  the real servers (tests/bench/farm), BENCH_PORT
#   farm CMD                    one farm command, its reply line on stdout
#   real_addr I                 the address of real I in $A (farm.c's farm_addr)
#   gen_ldirectord N TYPE [VIRTUALS]   ldirectord.cf (lvsd, ldirectord)
#   gen_keepalived N TYPE [VIRTUALS]   keepalived.conf
#   tree_pids PID               PID and its descendants
#   tree_user_ticks PID...      the user ticks alone
#   tree_cpu_ticks PID...       user+system ticks, with reaped children's
#   tree_hwm_kib PID...         VmHWM summed
#   tree_pss_kib PID...         Pss summed (shared pages counted once)
#   result MEASURE DIRECTOR VALUE   one figure into $BENCH_OUT
#   ip_vs_dests                 destinations in the kernel's IPVS table
#   dests_at_least N, weight1_at_least N   at least N of them (of weight >= 1)
#
# TYPE is http (negotiate, GET / expecting "OK") or connect.  N reals are
# spread over VIRTUALS services (default N/10, at least 1).

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BENCH_TOP=$(cd "$BENCH_DIR/../.." && pwd)
BENCH_TMP=${BENCH_TMP:-$(mktemp -d "${TMPDIR:-/tmp}/lvsd-bench.XXXXXX")}
BENCH_OUT=${BENCH_OUT:-$BENCH_TMP/results}
# the reals' port: not 80, which other tests' servers may hold on 127.0.x
BENCH_PORT=${BENCH_PORT:-10080}
HZ=$(getconf CLK_TCK)
bench_pids=()

# destinations in /proc/net/ip_vs: "  -> 7F000007:0050 ..." or "  -> [..."
# (not its header line, "  -> RemoteAddress:Port Forward Weight ...")
ip_vs_dests() { grep -c -- '^  -> [0-9A-F[]' /proc/net/ip_vs; }
dests_at_least() { [ "$(ip_vs_dests)" -ge "$1" ]; }
weight1_at_least() {
	[ "$(awk '$1 == "->" && $4 ~ /^[0-9]+$/ && $4 >= 1 { n++ }
		END { print n + 0 }' /proc/net/ip_vs)" -ge "$1" ]
}

now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }

bench_cleanup() {
	local p
	for p in "${bench_pids[@]}"; do
		kill -TERM "$p" 2>/dev/null
	done
	[ -n "${FARM_PID:-}" ] && { farm quit >/dev/null 2>&1; kill "$FARM_PID" 2>/dev/null; }
	wait 2>/dev/null
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$BENCH_TMP"
}

# wait_until SECONDS CMD...: CMD every 50 ms until it succeeds
wait_until() {
	local deadline=$(($(now_ms) + $1 * 1000))
	shift
	until "$@"; do
		(($(now_ms) < deadline)) || return 1
		sleep 0.05
	done
}

# real_addr I: the address into $A (no fork: generators call it 100,000 times)
real_addr() {
	local i=$1
	A=127.$((10 + i / 63500)).$((i / 254 % 250)).$((i % 254 + 1))
}

farm_start() {
	coproc FARM { exec "$BENCH_DIR/farm" "$1" "$BENCH_PORT" "${2:-1000}" 2>&1; }
	local line=
	read -r -t 120 line <&"${FARM[0]}"
	if [ "${line%% *}" != ready ]; then
		echo "bench: the farm did not start: $line" >&2
		return 1
	fi
}

farm() {
	local line
	printf '%s\n' "$*" >&"${FARM[1]}"
	[ "$1" = quit ] && return 0
	read -r -t 30 line <&"${FARM[0]}"
	printf '%s\n' "$line"
}

# ---- config generators: one function per director ------------------------

# virtual service v (0-based) into $V: 10.v/65536.v/256.v%256+1, port 80
# virtual service number N: 10.a.b.c, c from 1 to 254 (never .0 or .255)
vip() { V=10.$((1 + $1 / 64516)).$(($1 / 254 % 254)).$(($1 % 254 + 1)); }

gen_ldirectord() {
	local n=$1 type=$2 nv=${3:-$(($1 / 10 > 0 ? $1 / 10 : 1))} v i
	printf 'checkinterval=1\nchecktimeout=3\nnegotiatetimeout=3\n'
	printf 'failurecount=1\nquiescent=yes\n'
	for ((v = 0; v < nv; v++)); do
		vip "$v"
		printf 'virtual=%s:80\n\tscheduler=wrr\n' "$V"
		case $type in
		http) printf '\tchecktype=negotiate\n\tservice=http\n\trequest="/"\n\treceive="OK"\n' ;;
		connect) printf '\tchecktype=connect\n' ;;
		on) printf '\tchecktype=on\n' ;;
		esac
		for ((i = v; i < n; i += nv)); do
			real_addr "$i"
			printf '\treal=%s:%d masq 1\n' "$A" "$BENCH_PORT"
		done
	done
}

gen_keepalived() {
	local n=$1 type=$2 nv=${3:-$(($1 / 10 > 0 ? $1 / 10 : 1))} v i check
	case $type in
	http) check='HTTP_GET {\n url {\n path /\n status_code 200\n }\n connect_timeout 3\n retry 0\n }' ;;
	connect) check='TCP_CHECK {\n connect_timeout 3\n retry 0\n }' ;;
	on) check= ;;
	esac
	printf 'global_defs {\n router_id bench\n}\n'
	for ((v = 0; v < nv; v++)); do
		vip "$v"
		printf 'virtual_server %s 80 {\n delay_loop 1\n lb_algo wrr\n' "$V"
		printf ' lb_kind NAT\n protocol TCP\n'
		for ((i = v; i < n; i += nv)); do
			real_addr "$i"
			printf ' real_server %s %d {\n weight 1\n inhibit_on_failure\n' \
				"$A" "$BENCH_PORT"
			printf ' %b\n }\n' "$check"
		done
		printf '}\n'
	done
}

# ---- what a director's processes cost -----------------------------------

tree_pids() {
	local p
	echo "$1"
	for p in $(pgrep -P "$1"); do
		tree_pids "$p"
	done
}

# tree_stat_ticks "F..." PID...: the sum of fields F of /proc/PID/stat,
# counted from after the command name (which may hold spaces) closes
# with ")": 12 utime, 13 stime, 14 cutime, 15 cstime (fields 14-17 of
# proc(5))
tree_stat_ticks() {
	local fields=$1 p s f total=0
	local -a v
	shift
	for p in "$@"; do
		s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
		read -r -a v <<<"${s##*") "}"
		for f in $fields; do
			total=$((total + v[f - 1]))
		done
	done
	echo "$total"
}

tree_cpu_ticks() { tree_stat_ticks "12 13 14 15" "$@"; }

# utime and cutime alone: the director's own code, not the kernel's work
# for it (under a loopback farm, most of a check is the kernel's TCP, the
# farm's half included)
tree_user_ticks() { tree_stat_ticks "12 14" "$@"; }

tree_hwm_kib() {
	local p total=0 kib
	for p in "$@"; do
		kib=$(awk '/^VmHWM:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
		total=$((total + ${kib:-0}))
	done
	echo "$total"
}

# A page shared by n processes counts 1/n in each one's Pss: summed, a
# library that four processes map counts once, as VmHWM summed does not
tree_pss_kib() {
	local p total=0 kib
	for p in "$@"; do
		kib=$(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup" \
			2>/dev/null)
		total=$((total + ${kib:-0}))
	done
	echo "$total"
}

result() {
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$BENCH_OUT"
	printf 'bench: %-34s %-11s %s\n' "$1" "$2" "$3" >&2
}
