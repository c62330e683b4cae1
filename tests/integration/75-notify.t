#!/bin/bash
# systemd's notify protocol, spoken by hand: READY=1 once the table is in
# place, RELOADING=1 then READY=1 around a reload, WATCHDOG=1 every half
# WATCHDOG_USEC, STOPPING=1 at a stop; all to $NOTIFY_SOCKET, as
# systemd's Type=notify and WatchdogSec= expect.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
plan 9
ipvs_clean

vip=127.0.0.160:80
httpd_start r17 127.0.0.17 80 "OK" || bail_out "no real server"
lvsd_conf "checkinterval=1
quiescent=no

virtual=$vip
	real=127.0.0.17:80 masq 2
	service=http
	receive=\"OK\""
sock=$TEST_TMP/notify.sock
# the listener: one line per datagram, newlines as "|"
spawn python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
open(sys.argv[1] + ".ready", "w").close()
while True:
    d = s.recv(4096).decode()
    print(d.replace("\n", "|"), flush=True)' "$sock"
notes=$spawned_log
wait_for 20 test -e "$sock.ready" || bail_out "no notify listener"

NOTIFY_SOCKET=$sock WATCHDOG_USEC=2000000 lvsd_start
ok "READY=1 with the main pid" wait_for 60 grep -q "^READY=1|MAINPID=$lvsd_pid|" "$notes"
ok "by then the virtual service is in the kernel" ipvsadm -Ln -t $vip
ok "WATCHDOG=1 comes again and again" wait_for 30 eval \
	'[ $(grep -c "^WATCHDOG=1$" "$notes") -ge 3 ]'
nok "the children do not see NOTIFY_SOCKET" \
	grep -q NOTIFY_SOCKET /proc/$(lvsd_child checker)/environ
"$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" reload >/dev/null
ok "a reload: RELOADING=1 with the time" \
	grep -q "^RELOADING=1|MONOTONIC_USEC=[0-9]*$" "$notes"
ok "then READY=1 for configuration 2" wait_for 30 grep -q \
	"^READY=1|MAINPID=$lvsd_pid|STATUS=configuration 2 in force" "$notes"
ok "lvsd stops" "$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" stop
ok "STOPPING=1" grep -q "^STOPPING=1$" "$notes"
nok "no child was killed by its sandbox" grep -q SIGSYS "$lvsd_logfile"
