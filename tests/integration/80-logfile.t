#!/bin/bash
# logfile="/path", as ldirectord's: the daemon's lines go to the file,
# "[date|config|pid] message", opened for each line so that a rotation
# needs no signal; a reload that names another file moves there.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
plan 7
ipvs_clean

vip=127.0.0.170:80
httpd_start r18 127.0.0.18 80 "OK" || bail_out "no real server"
log=$TEST_TMP/lvsd.log
conf() {
	lvsd_conf "checkinterval=1
logfile=\"$1\"

virtual=$vip
	real=127.0.0.18:80 masq 2
	service=http
	receive=\"OK\""
}
conf "$log"
lvsd=$LVSD_TOP/parent/lvsd
on_exit "$lvsd -f $LVSD_CF stop >/dev/null"
# not -d: daemonized, it logs where the config says
ok "lvsd starts as a daemon" "$lvsd" -u nobody -x "$TEST_TMP/libexec" -f "$LVSD_CF" start
pid=$("$lvsd" -f "$LVSD_CF" status | sed -n 's/.*pid: //p')
ok "its lines go to the file" wait_for 60 grep -q "real 127.0.0.18:80 up" "$log"
like "$(head -1 "$log")" "^\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [0-9]{4}\|lvsd.cf\|$pid\] starting with" \
	"each line is [date|config|pid] message, as ldirectord's"
mv "$log" "$log.1"
"$lvsd" -f "$LVSD_CF" reload >/dev/null
ok "after a rotation (no signal) the next line makes a new file" \
	wait_for 30 grep -q "reloading" "$log"
conf "$TEST_TMP/other.log"
"$lvsd" -f "$LVSD_CF" reload >/dev/null
ok "a reload that names another file moves there" \
	wait_for 30 grep -q "ipvsd applied configuration 3" "$TEST_TMP/other.log"
nok "and nothing goes to the first one any more" \
	grep -q "ipvsd applied configuration 3" "$log"
ok "lvsd stops" "$lvsd" -f "$LVSD_CF" stop
