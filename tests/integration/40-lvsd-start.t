#!/bin/bash
# The start order: lvsd starts ipvsd alone, and exec and the checker at
# ipvsd's first APPLIED, once the table is in place.  While ipvsd cannot
# apply (here an lvsd-ipvsd that exits after 3 s, and is restarted)
# neither of them runs and `lvsd status` says they wait for ipvsd; the
# first ipvsd that applies starts both.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
plan 13
ipvs_clean

vip=127.0.0.151:80
lvsd_conf "checkinterval=1
quiescent=no

virtual=$vip
	real=127.0.0.51:80 masq 2
	real=127.0.0.52:80 masq 3
	checktype=on"

logged() { lvsd_log | grep -qE -- "$1"; }
# the line number of the first line of lvsd's log that matches $1
line_of() { lvsd_log | grep -nE -- "$1" | head -n 1 | cut -d: -f1; }
status() { "$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" status; }

# ---- an ipvsd that applies: the others follow it ------------------------------

lvsd_start
ok "the checker has its configuration" \
	wait_for 120 logged 'checker: config 1 applied' ||
	bail_out "lvsd did not start: $(lvsd_log)"
is "$(dest_weight $vip 127.0.0.52:80)" 3 "the table is in the kernel"
applied=$(line_of 'ipvsd applied configuration 1:')
ok "ipvsd started before ipvsd applied" \
	test "$(line_of 'started ipvsd, pid')" -lt "$applied"
ok "exec started after it" test "$(line_of 'started exec, pid')" -gt "$applied"
ok "the checker started after it" \
	test "$(line_of 'started checker, pid')" -gt "$applied"
like "$(status)" 'ipvsd running, checker running, exec running' \
	"lvsd status: all three running"
kill -TERM "$lvsd_pid"
ok "lvsd stopped" wait_for 60 eval '! kill -0 $lvsd_pid 2>/dev/null'
ipvs_clean

# ---- an ipvsd that never applies: the others wait -----------------------------

rm -f "$TEST_TMP/libexec/lvsd-ipvsd"
# 3 s a life: lvsd gives up on a child's fifth death before READY
printf '#!/bin/sh\nsleep 3\nexit 3\n' >"$TEST_TMP/libexec/lvsd-ipvsd"
chmod 0755 "$TEST_TMP/libexec/lvsd-ipvsd"
lvsd_start
ok "the failing ipvsd is restarted twice" \
	wait_for 120 logged 'restarting ipvsd \(restart 2\)' ||
	bail_out "no restarts: $(lvsd_log)"
like "$(status)" 'ipvsd [a-z]+, checker waiting for ipvsd, exec waiting for ipvsd' \
	"lvsd status: the checker and exec wait for ipvsd"
nok "no checker or exec was started" logged 'started (checker|exec), pid'
is "$(lvsd_child checker; lvsd_child exec)" "" "and neither process exists"

# the next restart finds the real ipvsd
ln -sf "$LVSD_TOP/ipvsd/lvsd-ipvsd" "$TEST_TMP/libexec/lvsd-ipvsd.new"
mv -f "$TEST_TMP/libexec/lvsd-ipvsd.new" "$TEST_TMP/libexec/lvsd-ipvsd"
ok "a real ipvsd applies, and the checker starts and gets its configuration" \
	wait_for 180 logged 'checker: config 1 applied' ||
	diag "$(lvsd_log | tail -n 20)"
is "$(dest_weight $vip 127.0.0.51:80)" 2 "and the table is in the kernel"
kill -TERM "$lvsd_pid"
wait_for 60 eval '! kill -0 $lvsd_pid 2>/dev/null'
ipvs_clean
