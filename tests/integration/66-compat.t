#!/bin/bash
# The last ldirectord directives lvsd took on: ops and schedflags (the
# service's flags in the kernel, set on a reload that changes them and
# left alone otherwise), readdquiescent, monitorfile, a per-virtual
# cleanstop, supervised, execute.  Every real is
# checked with checktype=on (always up), but for readdquiescent's, a web
# server the test stops and starts.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
plan 38
ipvs_clean

udp=127.0.0.166:53
tcp=127.0.0.166:80
web=127.0.0.167:80
kept=127.0.0.168:80
httpd_start r3 127.0.0.3 80 "OK" || bail_out "no real server"
lvsd=$LVSD_TOP/parent/lvsd
# svc_line PROTO VIP:PORT: the service's line in ipvsadm -Ln
svc_line() {
	ipvsadm -Ln "$1" "$2" 2>/dev/null | awk '$1 == "TCP" || $1 == "UDP"'
}
udp_weight() {
	ipvsadm -Ln -u "$1" 2>/dev/null | awk -v r="$2" '
		$1 == "->" && $2 == r { w = $4 }
		END { print (w == "" ? "absent" : w) }'
}
# conf OPS SCHEDFLAGS [READDQUIESCENT]
conf() {
	lvsd_conf "checkinterval=1
checktimeout=10
quiescent=yes
readdquiescent=${3:-yes}

virtual=$web
	real=127.0.0.3:80 masq 4
	service=http
	receive=\"OK\"
	monitorfile=$TEST_TMP/web.mon

virtual=$kept
	real=127.0.0.2:80 masq 5
	checktype=on
	cleanstop=no

virtual=$udp
	protocol=udp
	real=127.0.0.2:53 masq 2
	checktype=on
	scheduler=rr
	ops=$1

virtual=$tcp
	real=127.0.0.2:80 masq 3
	checktype=on
	scheduler=sh
	schedflags=$2"
}

conf yes sh-fallback,sh-port
ok "lvsd -t accepts ops and schedflags" "$lvsd" -t -f "$LVSD_CF"
lvsd_start
ok "both services are in the kernel" wait_for 60 eval \
	'[ $(udp_weight $udp 127.0.0.2:53) = 2 ] && weight_is $tcp 127.0.0.2:80 3 &&
	    weight_is $web 127.0.0.3:80 4 && weight_is $kept 127.0.0.2:80 5' ||
	{ diag "$(lvsd_log)"; bail_out "lvsd did not start"; }
note "$(svc_line -u $udp)" "$(svc_line -t $tcp)"
like "$(svc_line -u $udp)" "^UDP +$udp +rr.* ops" "ipvsadm shows ops on the UDP service"
like "$(svc_line -t $tcp)" "sh-fallback,sh-port" "and both sh flags on the TCP one"

out=$("$lvsd" -f "$LVSD_CF" reload 2>&1)
like "$out" "configuration 2 in force: .* 0 changes" \
	"reloading the same flags: not one netlink operation"

conf yes sh-port
out=$("$lvsd" -f "$LVSD_CF" reload 2>&1)
like "$out" "configuration 3 in force: .* 1 changes" \
	"one flag less: one operation (SET_SERVICE)"
like "$(svc_line -t $tcp)" "sh-port" "sh-port is still set"
ok "sh-fallback is gone" eval '[[ $(svc_line -t $tcp) != *sh-fallback* ]]'

conf no sh-port
out=$("$lvsd" -f "$LVSD_CF" reload 2>&1)
like "$out" "configuration 4 in force: .* 1 changes" "ops=no: one operation"
ok "ops is gone from the UDP service" eval '[[ $(svc_line -u $udp) != *ops* ]]'
like "$(lvsd_log)" "service UDP $udp changed: scheduler rr \(was scheduler rr, ops\)" \
	"ipvsd logs the change"

# readdquiescent=yes: a real removed by hand that then fails is put back
ipvsadm -d -t $web -r 127.0.0.3:80
httpd_body r3 "NO"
ok "readdquiescent=yes: a failed real removed by hand is back with weight 0" \
	wait_for 60 weight_is $web 127.0.0.3:80 0
like "$(lvsd_log)" "failed: real 127.0.0.3:80 of TCP $web down: .*No such file" \
	"  after the kernel refused to quiesce it"
httpd_body r3 "OK"
ok "  and back with its weight when it answers" \
	wait_for 60 weight_is $web 127.0.0.3:80 4

mon_re='^\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4}\] \[[0-9]+\] negotiate http tcp 127.0.0.3 80 4 masq / OK'
ok "monitorfile: the real's down line, in ldirectord's format" \
	grep -Eq "$mon_re \[down\] " "$TEST_TMP/web.mon"
ok "  and its up lines (the first check, the recovery)" eval \
	'[ $(grep -Ec "$mon_re \[up\] " "$TEST_TMP/web.mon") -ge 2 ]'

conf no sh-port no
out=$("$lvsd" -f "$LVSD_CF" reload 2>&1)
like "$out" "configuration 5 in force: .* 0 changes" "readdquiescent=no: no change"
retries() { lvsd_log | grep -c "trying again"; }
n=$(retries)
ipvsadm -d -t $web -r 127.0.0.3:80
httpd_body r3 "NO"
ok "readdquiescent=no: the kernel refuses to quiesce the missing real" \
	wait_for 60 eval '[ $(retries) -gt $n ]'
# ipvsd reads the table again after 1 s; give it ample time under TCG
wait_for 10 false
is "$(dest_weight $web 127.0.0.3:80)" absent "  and it stays out of the table"
out=$("$lvsd" -f "$LVSD_CF" reload 2>&1)
like "$out" "configuration 6 in force: .* 1 changes" \
	"a reload adds it with weight 0, as ldirectord's start does"
is "$(dest_weight $web 127.0.0.3:80)" 0 "  weight 0"

lvsd_conf "virtual=$tcp
	real=127.0.0.2:80 masq 3
	checktype=on
	schedflags=mh-port"
out=$("$lvsd" -f "$LVSD_CF" reload 2>&1)
is "$?" 2 "a flag of another scheduler is a config error"
like "$out" "lvsd.cf:4:.*scheduler flag 'mh-port' is for the mh scheduler, not wrr" \
	"  with file:line"

nok "no child was killed by its sandbox" grep -q SIGSYS "$lvsd_logfile"
ok "lvsd stops" "$lvsd" -f "$LVSD_CF" stop
wait_for 30 eval '! kill -0 $lvsd_pid 2>/dev/null'
is "$(dest_weight $kept 127.0.0.2:80)" 5 \
	"cleanstop=no in a block: that service stays in the kernel"
is "$(ipvsadm -Ln | grep -c '^[TU][CD]P ')" 1 "  the others, cleanstop=yes, are gone"

# supervised=yes: no -d, yet in the foreground, dated lines on stdout
lvsd_conf "supervised=yes
checkinterval=1

virtual=$tcp
	real=127.0.0.2:80 masq 3
	checktype=on"
spawn sh -c 'exec "$0" "$@" 2>/dev/null' "$lvsd" -u nobody \
	-x "$TEST_TMP/libexec" -f "$LVSD_CF"
sup_pid=$spawned_pid
sup_log=$spawned_log
ok "supervised=yes: lvsd runs without -d" \
	wait_for 60 weight_is $tcp 127.0.0.2:80 3
ok "  in the foreground: the process started is still there" \
	kill -0 $sup_pid
like "$(head -n 1 "$sup_log")" \
	"^\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} [0-9]{4}\] starting with $LVSD_CF" \
	"  its lines on stdout, dated as ldirectord's"
like "$(cat "$sup_log")" "\] ipvsd: .*127.0.0.2:80" "  the children's lines too"
ok "  lvsd stop finds it: lvsd keeps its pid file" "$lvsd" -f "$LVSD_CF" stop
ok "  and the foreground process exits" \
	wait_for 30 eval '! kill -0 $sup_pid 2>/dev/null'

# execute=: another instance, with its own file, started, reloaded and
# stopped along with this one
other=127.0.0.169:80
other_cf=$TEST_TMP/other.cf
other_conf() {
	printf '%s\n' "checkinterval=1" "virtual=$other" \
		"	real=127.0.0.2:80 masq $1" "	checktype=on" >"$other_cf"
	chmod 0644 "$other_cf"
}
other_conf 6
on_exit '"$lvsd" -f "$other_cf" stop >/dev/null 2>&1'
lvsd_conf "execute=$other_cf
checkinterval=1

virtual=$tcp
	real=127.0.0.2:80 masq 3
	checktype=on"
lvsd_start
ok "execute=: the other instance starts with this one" \
	wait_for 60 eval 'weight_is $tcp 127.0.0.2:80 3 && weight_is $other 127.0.0.2:80 6' ||
	diag "$(lvsd_log)"
ok "  it runs as a daemon of its own" "$lvsd" -f "$other_cf" status
other_conf 7
"$lvsd" -f "$LVSD_CF" reload >/dev/null 2>&1
ok "  a reload of this one reloads it" \
	wait_for 60 weight_is $other 127.0.0.2:80 7
like "$(lvsd_log)" "execute: reload $other_cf" "  and the log says so"
"$lvsd" -f "$LVSD_CF" stop >/dev/null 2>&1
ok "  a stop of this one stops it (cleanstop: its service is gone)" \
	wait_for 60 eval '[ "$(dest_weight $other 127.0.0.2:80)" = absent ] &&
	    ! "$lvsd" -f "$other_cf" status >/dev/null'

