#!/bin/bash
# kill -9 of either child: the parent restarts it, and while that happens
# no healthy destination leaves the kernel table or changes weight.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
plan 13
ipvs_clean

vip=127.0.0.110:80
for i in 5 6; do
	httpd_start "r$i" "127.0.0.$i" 80 "OK" || bail_out "no real server"
done
lvsd_conf "checkinterval=1
checktimeout=2
quiescent=no

virtual=$vip
	real=127.0.0.5:80 masq 5
	real=127.0.0.6:80 masq 7
	service=http
	receive=\"OK\""
lvsd_start
want="5 7"
# one look at the table: "W5 W6", "absent" for a missing one
weights() {
	ipvsadm -Ln -t $vip 2>/dev/null | awk '
		$1 == "->" { w[$2] = $4 }
		END { a = w["127.0.0.5:80"]; b = w["127.0.0.6:80"]
		      print (a == "" ? "absent" : a) " " (b == "" ? "absent" : b) }'
}
ok "both real servers are up" wait_for 60 eval '[ "$(weights)" = "$want" ]'

# Watch the table from now on: one line per look, until told to stop.
watch_table() {
	while [ ! -e "$TEST_TMP/stop-watch" ]; do
		weights
	done >"$TEST_TMP/watch"
}
watch_table &
watcher=$!
on_exit "touch $TEST_TMP/stop-watch; wait $watcher 2>/dev/null || :"
looks() { cat "$TEST_TMP/watch" 2>/dev/null | wc -l; }
# more_looks N: wait until the watcher has looked N more times
more_looks() {
	local target=$(($(looks) + $1))
	wait_for 60 eval '[ $(looks) -ge $target ]'
}
more_looks 3 || bail_out "the table watcher stopped looking"

old=$(lvsd_child checker)
ok "the checker runs" test -n "$old"
kill -9 "$old"
ok "the parent restarts a killed checker" \
	wait_for 60 eval 'new=$(lvsd_child checker) && [ -n "$new" ] && [ "$new" != "$old" ]'
more_looks 3 || bail_out "the table watcher stopped looking"
like "$(lvsd_log)" "checker \(pid $old\) killed by signal 9" "the death is logged with its cause"

old=$(lvsd_child ipvsd)
ok "ipvsd runs" test -n "$old"
kill -9 "$old"
ok "the parent restarts a killed ipvsd" \
	wait_for 60 eval 'new=$(lvsd_child ipvsd) && [ -n "$new" ] && [ "$new" != "$old" ]'
ok "the new ipvsd reconciles without a single change" \
	wait_for 60 eval 'lvsd_log | grep -Eq "applied configuration [0-9]+: 1 services, 2 real servers, 0 changes"'
more_looks 3 || bail_out "the table watcher stopped looking"

# a later check still works end to end through the new processes
httpd_stop r6
ok "after both restarts a failed server is still removed" \
	wait_for 30 eval '[ "$(weights)" = "5 absent" ]'
touch "$TEST_TMP/stop-watch"
wait "$watcher"
httpd_start r6 127.0.0.6 80 OK

n=$(looks)
ok "the table was watched throughout ($n looks)" test "$n" -ge 9
before_stop=$(sed '/^5 absent$/,$d' "$TEST_TMP/watch")
is "$(printf '%s\n' "$before_stop" | sort -u)" "$want" \
	"until the server was stopped, every look saw both at full weight"
ok "the server that came back is back" wait_for 30 eval '[ "$(weights)" = "$want" ]'
nok "no child was killed by its sandbox" grep -q SIGSYS "$lvsd_logfile"
ok "lvsd stops" "$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" stop
