#!/bin/bash
# The whole of lvsd against the real ip_vs module: it builds the table
# from the config, follows the health of three web servers, inserts and
# removes the fallback, and removes its services on stop.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
plan 17
ipvs_clean

vip=127.0.0.100:80
for i in 2 3 4; do
	httpd_start "r$i" "127.0.0.$i" 80 "OK from $i" ||
		bail_out "cannot start real server 127.0.0.$i"
	httpd_body "r$i" "OK health" /health
done

lvsd_conf "checkinterval=1
checktimeout=2
quiescent=yes

virtual=$vip
	real=127.0.0.2:80 masq 2
	real=127.0.0.3:80 masq 3
	real=127.0.0.4:80 masq 1
	fallback=127.0.0.1:80
	service=http
	request=\"/health\"
	receive=\"OK\"
	scheduler=wlc"

ok "lvsd -t accepts the config" "$LVSD_TOP/parent/lvsd" -t -f "$LVSD_CF"
lvsd_start
ok "every real server gets its configured weight" \
	wait_for 60 eval 'weight_is $vip 127.0.0.2:80 2 &&
	    weight_is $vip 127.0.0.3:80 3 && weight_is $vip 127.0.0.4:80 1'
like "$(ipvsadm -Ln -t $vip)" "TCP  $vip wlc" "the service has the configured scheduler"
is "$(dest_weight $vip 127.0.0.1:80)" absent "no fallback while real servers are up"
like "$(ipvsadm -Ln -t $vip)" "127.0.0.3:80 +Masq" "masq forwarding"

httpd_stop r3
ok "a stopped server is quiesced (weight 0)" \
	wait_for 30 weight_is $vip 127.0.0.3:80 0
is "$(dest_weight $vip 127.0.0.2:80)/$(dest_weight $vip 127.0.0.4:80)" 2/1 \
	"the other real servers keep their weight"

httpd_status r2 503
ok "a 503 answer takes the real server out" \
	wait_for 30 weight_is $vip 127.0.0.2:80 0
httpd_status r2

httpd_start r3 127.0.0.3 80
ok "a real server that comes back gets its weight back" \
	wait_for 30 weight_is $vip 127.0.0.3:80 3
ok "the one that answers 2xx again is back too" \
	wait_for 30 weight_is $vip 127.0.0.2:80 2

httpd_body r4 "nothing to see" /health
httpd_stop r2
httpd_stop r3
ok "when every real server is down the fallback is inserted" \
	wait_for 30 weight_is $vip 127.0.0.1:80 1
is "$(dest_weight $vip 127.0.0.4:80)" 0 "a body that does not match 'OK' is down"

httpd_body r4 "OK again" /health
ok "the fallback leaves when a real server is back" \
	wait_for 30 eval 'weight_is $vip 127.0.0.1:80 absent &&
	    weight_is $vip 127.0.0.4:80 1'

like "$(lvsd_log)" "127.0.0.3:80" "the log names the real server that changed"

nok "no child was killed by its sandbox" grep -q SIGSYS "$lvsd_logfile"
ok "lvsd stop stops the daemon" "$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" stop
ok "stop removes the virtual service (cleanstop)" \
	wait_for 10 eval '! ipvsadm -Ln -t $vip >/dev/null 2>&1'
