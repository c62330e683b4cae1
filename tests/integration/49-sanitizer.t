#!/bin/bash
# The sanitizer build only (make integration-asan, LVSD_SANITIZE=1): a
# memory error in a sandboxed child is reported from inside its filter
# and chroot, whole, and ends the child, which the parent restarts.  The
# children are the test copies from tests/hooks/, whose sanitizer build
# reads one byte past a heap block on SIGWINCH (common/sandbox.c).  This
# is what makes a clean integration-asan run mean something: a report
# that the filter cut short (SIGSYS at its first write) would say nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
[ "${LVSD_SANITIZE:-}" = 1 ] ||
	plan skip_all "the sanitizer build only (make integration-asan)"
require_ipvs
for c in checker ipvsd; do
	[ -x "$LVSD_TOP/tests/hooks/lvsd-$c" ] || bail_out "build first"
done
plan 14
ipvs_clean
san_expect_reports

vip=127.0.0.131:80
rip=127.0.0.9:80
httpd_start r9 127.0.0.9 80 OK || bail_out "no real server"
ln -sf "$LVSD_TOP/tests/hooks/lvsd-checker" "$LVSD_TOP/tests/hooks/lvsd-ipvsd" \
	"$TEST_TMP/libexec/"
lvsd_conf "checkinterval=1
checktimeout=2
quiescent=yes

virtual=$vip
	real=$rip masq 5
	service=http
	receive=\"OK\""
lvsd_start
ok "the real server is in with its weight" \
	wait_for 120 weight_is $vip $rip 5

ready_count() { lvsd_log | grep -c "$1 ready"; }
report_count() { lvsd_log | grep -c 'ERROR: AddressSanitizer: heap-buffer-overflow'; }

# overflow CHILD: the child reads past a heap block; the report must be
# whole, the child must exit with the runtime's status 1 (not SIGSYS),
# and be restarted.
overflow() {
	local child=$1 old reports readies
	old=$(lvsd_child "$child")
	reports=$(report_count)
	readies=$(ready_count "$child")
	kill -WINCH "$old"
	ok "$child: lvsd says it exited with status 1" \
		wait_for 120 eval 'lvsd_log | grep -q "$child (pid $old) exited with status 1"'
	is "$(report_count)" $((reports + 1)) "$child: one heap-buffer-overflow report"
	ok "$child: the report is whole, frames as module+offset" \
		eval 'lvsd_log | grep -A120 "==$old==ERROR: AddressSanitizer" |
		    grep -q "^==$old==ABORTING"'
	ok "$child: the first frame is in the executable" \
		eval 'lvsd_log | grep -A3 "==$old==ERROR: AddressSanitizer" |
		    grep -qE "#0 0x[0-9a-f]+ +\(.*/lvsd-$child\+0x[0-9a-f]+\)"'
	ok "$child: restarted, READY again" \
		wait_for 120 eval '[ "$(ready_count "$child")" -gt "$readies" ]'
}
overflow checker
overflow ipvsd

nok "no child was killed by its filter" \
	eval 'lvsd_log | grep -q "killed by SIGSYS"'
is "$(dest_weight $vip $rip)" 5 "the table did not notice"
ok "lvsd stops" "$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" stop
