#!/bin/bash
# The init-script commands, as ldirectord's and LSB's: start, status,
# try-restart, restart, force-reload, stop, their exit codes; and
# `lvsd restart` under a polling loop: no healthy destination leaves the
# table or changes weight while the daemon is replaced.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
plan 20
ipvs_clean

vip=127.0.0.140:80
for i in 12 13; do
	httpd_start "r$i" "127.0.0.$i" 80 "OK" || bail_out "no real server"
done
lvsd_conf "checkinterval=1
checktimeout=2
quiescent=no
cleanstop=yes

virtual=$vip
	real=127.0.0.12:80 masq 4
	real=127.0.0.13:80 masq 6
	service=http
	receive=\"OK\""
lvsd=$LVSD_TOP/parent/lvsd
# the daemon's own arguments: from the build tree, in the foreground
args=(-d -v -u nobody -x "$TEST_TMP/libexec" -f "$LVSD_CF")
on_exit "$lvsd -f $LVSD_CF stop >/dev/null"

run() { out=$("$@" 2>&1); rc=$?; }
run "$lvsd" -f "$LVSD_CF" status
is "$rc" 3 "status of a stopped lvsd: 3"
run "$lvsd" -f "$LVSD_CF" try-restart
is "$rc/$(pgrep -x lvsd | wc -l)" 0/0 "try-restart of a stopped lvsd: 0, nothing started"
run "$lvsd" -f "$LVSD_CF" force-reload
is "$rc" 1 "force-reload of a stopped lvsd: 1"

lvsd_start
want="4 6"
weights() {
	ipvsadm -Ln -t $vip 2>/dev/null | awk '
		$1 == "->" { w[$2] = $4 }
		END { a = w["127.0.0.12:80"]; b = w["127.0.0.13:80"]
		      print (a == "" ? "absent" : a) " " (b == "" ? "absent" : b) }'
}
ok "both real servers are up" wait_for 60 eval '[ "$(weights)" = "$want" ]' ||
	bail_out "lvsd did not start: $(lvsd_log)"
run "$lvsd" -f "$LVSD_CF" status
is "$rc" 0 "status of a running lvsd: 0"
like "$out" "lvsd for $LVSD_CF is running with pid: $lvsd_pid" "and its pid"
run "$lvsd" "${args[@]}" start
is "$rc" 0 "start of a running lvsd: 0"
like "$out" "already running" "and says so"
run "$lvsd" -f "$LVSD_CF" force-reload
like "$rc/$out" "^0/configuration 2 in force: .* 0 changes" "force-reload reloads"

watch_table() {
	while [ ! -e "$TEST_TMP/stop-watch" ]; do
		weights
	done >"$TEST_TMP/watch"
}
watch_table &
watcher=$!
on_exit "touch $TEST_TMP/stop-watch; wait $watcher 2>/dev/null || :"
looks() { cat "$TEST_TMP/watch" 2>/dev/null | wc -l; }
wait_for 30 eval '[ $(looks) -ge 3 ]'

# restart: the new lvsd runs in the foreground in place of the old one
old=$lvsd_pid
oldlog=$lvsd_logfile
spawn "$lvsd" "${args[@]}" restart
lvsd_pid=$spawned_pid
lvsd_logfile=$spawned_log
ok "restart: the old lvsd is gone" wait_for 60 eval '! kill -0 $old 2>/dev/null'
like "$(cat "$oldlog")" "IPVS table left in place" \
	"it left the table in place, although cleanstop=yes"
ok "restart: the new one runs" wait_for 60 eval \
	'"$lvsd" -f "$LVSD_CF" status | grep -q "pid: $lvsd_pid"'
ok "the new ipvsd finds the table right: no change" wait_for 60 eval \
	'lvsd_log | grep -q "ipvsd applied configuration 1: 1 services, 2 real servers, 0 changes"'
ok "the new checker finds both up" wait_for 60 eval \
	'[ $(lvsd_log | grep -c "real 127.0.0.1[23]:80 up") = 2 ]'
n=$(looks)
wait_for 30 eval '[ $(looks) -ge $((n + 3)) ]'
touch "$TEST_TMP/stop-watch"
wait "$watcher"
ok "the table was watched throughout ($(looks) looks)" test "$(looks)" -ge 6
is "$(sort -u "$TEST_TMP/watch")" "$want" \
	"every look saw both real servers at full weight"

run "$lvsd" -f "$LVSD_CF" stop
is "$rc" 0 "stop: 0"
ok "stop removes the virtual service (cleanstop=yes)" \
	wait_for 10 eval '! ipvsadm -Ln -t $vip >/dev/null 2>&1'
run "$lvsd" -f "$LVSD_CF" stop
is "$rc" 0 "stop of a stopped lvsd: 0"
echo 999999 >/run/lvsd.lvsd.cf.pid
run "$lvsd" -f "$LVSD_CF" status
rm -f /run/lvsd.lvsd.cf.pid
is "$rc" 1 "status with a stale pid file: 1 (LSB: dead, pid file exists)"
