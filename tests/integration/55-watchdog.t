#!/bin/bash
# The heartbeat: a child that stops answering (SIGSTOP: as hung as a
# process gets) is killed and restarted, the reason is logged, and no
# healthy destination leaves the table or changes weight meanwhile.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
plan 14
ipvs_clean

vip=127.0.0.130:80
for i in 10 11; do
	httpd_start "r$i" "127.0.0.$i" 80 "OK" || bail_out "no real server"
done
lvsd_conf "checkinterval=1
checktimeout=2
quiescent=no

virtual=$vip
	real=127.0.0.10:80 masq 2
	real=127.0.0.11:80 masq 3
	service=http
	receive=\"OK\""
lvsd_start
want="2 3"
weights() {
	ipvsadm -Ln -t $vip 2>/dev/null | awk '
		$1 == "->" { w[$2] = $4 }
		END { a = w["127.0.0.10:80"]; b = w["127.0.0.11:80"]
		      print (a == "" ? "absent" : a) " " (b == "" ? "absent" : b) }'
}
ok "both real servers are up" wait_for 60 eval '[ "$(weights)" = "$want" ]' ||
	bail_out "lvsd did not start: $(lvsd_log)"

watch_table() {
	while [ ! -e "$TEST_TMP/stop-watch" ]; do
		weights
		sleep 0.2
	done >"$TEST_TMP/watch"
}
watch_table &
watcher=$!
on_exit "touch $TEST_TMP/stop-watch; wait $watcher 2>/dev/null || :"
looks() { cat "$TEST_TMP/watch" 2>/dev/null | wc -l; }

# hung_child NAME: stop it; the parent must kill and replace it
hung_child() {
	local old new
	old=$(lvsd_child "$1")
	kill -STOP "$old"
	ok "a stopped $1 is replaced by a new one" wait_for 90 eval \
		'new=$(lvsd_child '"$1"') && [ -n "$new" ] && [ "$new" != "'"$old"'" ]'
	like "$(lvsd_log)" "$1 \(pid $old\) has not answered the heartbeat for [0-9]+ s: hung, killing it" \
		"the reason is logged"
	like "$(lvsd_log)" "$1 \(pid $old\) killed by signal 9" "then its death"
	nok "the stopped $1 is gone" kill -0 "$old"
}
hung_child checker
hung_child ipvsd
ok "the new ipvsd finds the table right: no change" \
	wait_for 60 eval 'lvsd_log | grep -q "ipvsd applied configuration 1: 1 services, 2 real servers, 0 changes"'
n=$(looks)
wait_for 30 eval '[ $(looks) -ge $((n + 3)) ]'
touch "$TEST_TMP/stop-watch"
wait "$watcher"
ok "the table was watched throughout ($(looks) looks)" test "$(looks)" -ge 10
is "$(sort -u "$TEST_TMP/watch")" "$want" \
	"every look saw both real servers at full weight"
nok "no child was killed by its sandbox" grep -q SIGSYS "$lvsd_logfile"
ok "lvsd stops" "$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" stop
