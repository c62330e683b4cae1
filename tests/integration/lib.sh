# TAP helpers for the shell integration tests (bash). Source it first:
#
#   #!/bin/bash
#   . "$(dirname "$0")/lib.sh"
#   require_ipvs
#   plan 3
#   ok "ip_vs is loaded" test -e /proc/net/ip_vs
#   is "$(hostname)" lvsd-vm "host name"
#   wait_for 5 test -e "$TEST_TMP/flag" || diag "no flag yet"
#
# The tests run as root, normally inside the VM of tests/vm/run.sh, all
# test files one after the other against the same kernel: each file must
# leave the IPVS table, addresses and processes as it found them. The
# helpers that create something (spawn, httpd_start, addr_add, ipvs_clean)
# undo it when the test exits, however it exits.
#
# Results:   plan N | plan skip_all REASON | done_testing
#            ok DESC CMD...     passes when CMD exits 0; CMD's output is
#                               shown (as diagnostics) only when the test
#                               fails, or always with TEST_TRACE=1
#            nok DESC CMD...    passes when CMD exits non-zero
#            is GOT WANT DESC | isnt GOT UNWANTED DESC | like GOT ERE DESC
#            pass DESC | fail DESC | skip REASON [COUNT] | bail_out REASON
#            diag MSG... (stderr) | note MSG... (stdout)
# Waiting:   wait_for SECONDS CMD...   (poll every 0.1 s; never sleep)
#            CMD runs inside wait_for: for a shell condition use
#            wait_for 5 eval '[ "$(f)" = "$want" ]' with named variables;
#            $1... there are wait_for's own arguments, not the caller's.
# Cleanup:   on_exit SHELL-TEXT        (run at exit, last registered first)
# Processes: spawn CMD...  (background; $spawned_pid, $spawned_log)
#            stop_pid PID
# Network:   addr_add ADDR/PLEN [DEV]  (not needed for 127.0.0.0/8)
#            port_open ADDR PORT       (a TCP connect succeeds)
# Mail:      smtpd_start ADDR PORT CONF (OpenSMTPD; $smtpd_log)
# HTTP:      httpd_start NAME ADDR PORT [BODY] | httpd_stop NAME
#            httpd_body NAME BODY [PATH] | httpd_status NAME [CODE]
#            httpd_delay NAME [SECONDS] | httpd_hits NAME | http_get URL
# IPVS:      require_ipvs | ipvs_clean | ipvs_table
#
# $TEST_TMP is a private directory, removed at exit.

if [ -z "${BASH_VERSION:-}" ]; then
	echo "lib.sh needs bash" >&2
	exit 255
fi

TEST_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/lvsd-test.XXXXXX")
export TEST_TMP

_t_planned=
_t_run=0
_t_failed=0
_t_done=
_t_exit_cmds=()
_t_pids=()
declare -gA _t_httpd_pid=()

# ---- TAP -----------------------------------------------------------------

plan() {
	if [ "$1" = skip_all ]; then
		shift
		echo "1..0 # SKIP $*"
		_t_done=skip
		exit 0
	fi
	_t_planned=$1
	echo "1..$1"
}

# _t_result PASSED DESC: print one result line and count it.
_t_result() {
	_t_run=$((_t_run + 1))
	local desc=${2//#/\\#}
	if [ "$1" = 1 ]; then
		echo "ok $_t_run - $desc"
		return 0
	fi
	_t_failed=$((_t_failed + 1))
	echo "not ok $_t_run - $desc"
	diag "  Failed test '$2'"
	diag "  at ${BASH_SOURCE[2]##*/} line ${BASH_LINENO[1]}."
	return 1
}

pass() { _t_result 1 "$1"; }
fail() { _t_result 0 "$1"; }

# _t_cmd CMD...: run CMD with its output in a file, for _t_cmd_output.
_t_cmd() {
	"$@" >"$TEST_TMP/.cmd.out" 2>&1 </dev/null
}

# _t_cmd_output: the output of the last _t_cmd as diagnostics, if any.
_t_cmd_output() {
	[ -s "$TEST_TMP/.cmd.out" ] || return 0
	diag "  output:"
	sed 's/^/#     /' "$TEST_TMP/.cmd.out" >&2
}

ok() {
	local desc=$1 rc=0
	shift
	_t_cmd "$@" || rc=$?
	[ "${TEST_TRACE:-}" != 1 ] || _t_cmd_output
	if [ "$rc" = 0 ]; then
		_t_result 1 "$desc"
	else
		_t_result 0 "$desc"
		diag "  command exited $rc: $*"
		[ "${TEST_TRACE:-}" = 1 ] || _t_cmd_output
		return 1
	fi
}

nok() {
	local desc=$1 rc=0
	shift
	_t_cmd "$@" || rc=$?
	[ "${TEST_TRACE:-}" != 1 ] || _t_cmd_output
	if [ "$rc" != 0 ]; then
		_t_result 1 "$desc"
	else
		_t_result 0 "$desc"
		diag "  command succeeded but should have failed: $*"
		[ "${TEST_TRACE:-}" = 1 ] || _t_cmd_output
		return 1
	fi
}

is() {
	if [ "$1" = "$2" ]; then
		_t_result 1 "$3"
	else
		_t_result 0 "$3"
		diag "         got: '$1'" "    expected: '$2'"
		return 1
	fi
}

isnt() {
	if [ "$1" != "$2" ]; then
		_t_result 1 "$3"
	else
		_t_result 0 "$3"
		diag "         got: '$1'" "    expected: anything else"
		return 1
	fi
}

like() {
	if [[ $1 =~ $2 ]]; then
		_t_result 1 "$3"
	else
		_t_result 0 "$3"
		diag "                  '$1'" "    doesn't match '$2'"
		return 1
	fi
}

skip() {
	local i
	for ((i = 0; i < ${2:-1}; i++)); do
		_t_run=$((_t_run + 1))
		echo "ok $_t_run # skip $1"
	done
}

# diag/note: every line of every argument as a TAP comment.
diag() { printf '%s\n' "$@" | sed 's/^/# /' >&2; }
note() { printf '%s\n' "$@" | sed 's/^/# /'; }

bail_out() {
	echo "Bail out! $*"
	_t_done=bail
	exit 255
}

done_testing() {
	if [ -z "$_t_planned" ]; then
		_t_planned=${1:-$_t_run}
		echo "1..$_t_planned"
	fi
	_t_done=1
}

# ---- waiting -------------------------------------------------------------

_t_now_us() { echo "${EPOCHREALTIME//[!0-9]/}"; }

# wait_for SECONDS CMD...: run CMD every 0.1 s until it succeeds (0) or
# SECONDS (may be fractional) have passed (1, after one last try).
wait_for() {
	local secs=$1 whole frac
	shift
	whole=${secs%%.*}
	frac=${secs#"$whole"}
	frac=${frac#.}000000
	local deadline=$(($(_t_now_us) + ${whole:-0} * 1000000 + 10#${frac:0:6}))
	while (($(_t_now_us) < deadline)); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}

# ---- cleanup -------------------------------------------------------------

on_exit() { _t_exit_cmds+=("$1"); }

# spawn CMD...: start CMD in the background, its output into a file of
# its own; $spawned_pid and $spawned_log tell which. It is stopped at exit
# unless stopped before.
_t_nspawn=0
spawn() {
	_t_nspawn=$((_t_nspawn + 1))
	spawned_log=$TEST_TMP/spawn.$_t_nspawn.log
	"$@" >"$spawned_log" 2>&1 </dev/null &
	spawned_pid=$!
	_t_pids+=("$spawned_pid")
}

# stop_pid PID: TERM, then KILL if still there after 2 s; reaps it.
stop_pid() {
	local pid=$1 i
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 20; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# ---- sanitizers ------------------------------------------------------------

# With LVSD_SANITIZE=1 (make integration-asan: the binaries are built with
# ASan and UBSan), a sanitizer report in any file under $TEST_TMP fails
# the test file: every process the tests start writes its stderr there,
# the children through their parent's.  A report ends the process that
# wrote it (halt_on_error), which a test may not notice by itself.
# san_expect_reports: this test provokes reports on purpose.
SAN_REPORT_RE='ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: [A-Za-z]*Sanitizer'
_t_san_expected=
san_expect_reports() { _t_san_expected=1; }

# _t_san_scan: 0 when no sanitizer report is found (or none is looked for).
_t_san_scan() {
	local files
	[ "${LVSD_SANITIZE:-}" = 1 ] && [ -z "$_t_san_expected" ] || return 0
	files=$(grep -rlE -a "$SAN_REPORT_RE" "$TEST_TMP" 2>/dev/null) || return 0
	diag "sanitizer reports:"
	grep -hE -a -B2 -A30 "$SAN_REPORT_RE" $files | head -200 | sed 's/^/#   /' >&2
	return 1
}

_t_exit() {
	local rc=$? i
	trap - EXIT
	for ((i = ${#_t_exit_cmds[@]} - 1; i >= 0; i--)); do
		eval "${_t_exit_cmds[i]}" >&2 || diag "cleanup failed: ${_t_exit_cmds[i]}"
	done
	for ((i = ${#_t_pids[@]} - 1; i >= 0; i--)); do
		stop_pid "${_t_pids[i]}"
	done
	if ! _t_san_scan; then
		rm -rf "$TEST_TMP"
		diag "Looks like a sanitized process reported an error."
		exit 253
	fi
	rm -rf "$TEST_TMP"
	case $_t_done in
	skip | bail) exit "$rc" ;;
	esac
	if [ "$rc" != 0 ] && [ -z "$_t_done" ]; then
		diag "Looks like the test script exited with status $rc" \
			"after $_t_run tests."
		exit "$rc"
	fi
	if [ -z "$_t_planned" ]; then
		diag "Tests were run but no plan was declared" \
			"and done_testing was not seen."
		exit 254
	fi
	if [ "$_t_run" != "$_t_planned" ]; then
		diag "Looks like you planned $_t_planned tests but ran $_t_run."
		exit 255
	fi
	if [ "$_t_failed" != 0 ]; then
		diag "Looks like you failed $_t_failed test(s) of $_t_run."
		exit $((_t_failed > 254 ? 254 : _t_failed))
	fi
	exit 0
}
trap _t_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- network ---------------------------------------------------------------

# addr_add ADDR/PLEN [DEV]: add an address (removed at exit). Every address
# of 127.0.0.0/8 is local already (route "local 127.0.0.0/8 dev lo"): bind
# and connect to 127.0.0.2 work without this.
addr_add() {
	local dev=${2:-lo}
	ip addr add "$1" dev "$dev" || return
	on_exit "ip addr del '$1' dev '$dev'"
}

# port_open ADDR PORT: a TCP connection to ADDR:PORT succeeds.
port_open() {
	(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# ---- OpenSMTPD ----------------------------------------------------------------

# smtpd_start ADDR PORT CONF: OpenSMTPD in the foreground with CONF, which
# listens on ADDR port PORT; waits until it does ($smtpd_log: its output).
# The test VM's /var is an empty tmpfs: its chroot and spool are made
# here.  A spool made here goes at exit, after smtpd, with any message
# still queued in it, which the next test's smtpd would deliver into its
# own mailbox.
smtpd_start() {
	[ -d /var/lib/opensmtpd/empty ] ||
		mkdir -p -m 0755 /var/lib/opensmtpd/empty
	if [ ! -d /var/spool/smtpd ]; then
		mkdir -p -m 0711 /var/spool/smtpd
		on_exit "rm -rf /var/spool/smtpd"
	fi
	spawn smtpd -d -f "$3"
	smtpd_log=$spawned_log
	on_exit "stop_pid $spawned_pid"
	wait_for 120 eval "ss -Hltn 'src $1:$2' | grep -q ." ||
		bail_out "smtpd did not start: $(cat "$smtpd_log")"
}

# ---- HTTP real servers -------------------------------------------------------

# httpd_start NAME ADDR PORT [BODY]: start (or restart) the real server
# NAME on ADDR:PORT serving BODY (default "NAME\n") on /; waits until it
# listens. Its files (body, .log, .status, .delay) are in
# $TEST_TMP/httpd-NAME; see httpd.py.
httpd_start() {
	local name=$1 addr=$2 port=$3 dir=$TEST_TMP/httpd-$1
	mkdir -p "$dir"
	if [ $# -ge 4 ]; then
		printf '%s' "$4" >"$dir/index.html"
	elif [ ! -e "$dir/index.html" ]; then # a restart keeps the body
		printf '%s\n' "$name" >"$dir/index.html"
	fi
	[ -z "${_t_httpd_pid[$name]:-}" ] || httpd_stop "$name"
	rm -f "$dir/.ready"
	spawn python3 -I "$TEST_LIB_DIR/httpd.py" --bind "$addr" --port "$port" --dir "$dir"
	_t_httpd_pid[$name]=$spawned_pid
	# Ready, or dead: no need to wait longer for one that cannot bind.
	# (python3's start in a VM under load took more than 20 s)
	wait_for 120 eval '[ -e "$dir/.ready" ] || ! kill -0 $spawned_pid 2>/dev/null'
	if [ ! -e "$dir/.ready" ] || ! kill -0 "$spawned_pid" 2>/dev/null; then
		echo "httpd $name did not start on $addr:$port" >&2
		cat "$spawned_log" >&2
		return 1
	fi
}

httpd_stop() {
	local pid=${_t_httpd_pid[$1]:-}
	[ -n "$pid" ] || return 0
	stop_pid "$pid"
	_t_httpd_pid[$1]=
}

# httpd_body NAME BODY [PATH]: serve BODY (exactly) at PATH (default /).
httpd_body() {
	local file=${3:-/}
	[ "$file" != / ] || file=/index.html
	mkdir -p "$(dirname "$TEST_TMP/httpd-$1$file")"
	printf '%s' "$2" >"$TEST_TMP/httpd-$1$file"
}

# httpd_status NAME [CODE]: answer every request with CODE; no CODE: normal.
httpd_status() {
	if [ -n "${2:-}" ]; then
		echo "$2" >"$TEST_TMP/httpd-$1/.status"
	else
		rm -f "$TEST_TMP/httpd-$1/.status"
	fi
}

# httpd_delay NAME [SECONDS]: wait before answering; no SECONDS: don't.
httpd_delay() {
	if [ -n "${2:-}" ]; then
		echo "$2" >"$TEST_TMP/httpd-$1/.delay"
	else
		rm -f "$TEST_TMP/httpd-$1/.delay"
	fi
}

# httpd_hits NAME: how many requests NAME has received.
httpd_hits() {
	local log=$TEST_TMP/httpd-$1/.log
	if [ -e "$log" ]; then
		wc -l <"$log" | tr -d ' '
	else
		echo 0
	fi
}

# http_get URL: print the body; fails on an error status or no answer.
http_get() {
	if command -v curl >/dev/null; then
		curl -fsS --max-time 10 "$1"
	else
		busybox wget -q -T 10 -O - "$1"
	fi
}

# ---- IPVS ------------------------------------------------------------------

# require_ipvs: skip the whole test unless root with IPVS (loads ip_vs).
require_ipvs() {
	if [ "$(id -u)" != 0 ]; then
		plan skip_all "needs root (run it through tests/vm/run.sh)"
	fi
	[ -e /proc/net/ip_vs ] || modprobe ip_vs 2>/dev/null
	if [ ! -e /proc/net/ip_vs ]; then
		plan skip_all "no IPVS in this kernel (run it through tests/vm/run.sh)"
	fi
	command -v ipvsadm >/dev/null || plan skip_all "no ipvsadm"
}

# ipvs_clean: empty the IPVS table now and again at exit.
ipvs_clean() {
	ipvsadm -C
	on_exit "ipvsadm -C"
}

# ipvs_table: the IPVS table without headers and counters, one service
# line followed by its real servers, both sorted, blanks normalized:
#   TCP 127.0.0.100:80 wrr
#     -> 127.0.0.2:80 Masq 3
ipvs_table() {
	local out
	out=$(ipvsadm -Ln) || return
	printf '%s\n' "$out" | awk '
		/^IP Virtual Server/ || /^Prot / || /-> RemoteAddress/ { next }
		/^  ->/ { print svc "\t1\t  -> " $2 " " $3 " " $4; next }
		{ $1 = $1; svc = $0; print svc "\t0\t" svc }' |
		LC_ALL=C sort -t "$(printf '\t')" -k1,1 -k2,2 -k3,3 | cut -f3
}
