#!/bin/bash
# The engine checks through the whole of lvsd against the real ip_vs
# module: the parent opens the raw ICMP sockets and the checker pings
# with them (checktype ping, connect of a UDP service); checktype 2; one
# real server in three virtual services probed once per interval, and
# taken out of all three at once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lvsd.sh"
require_ipvs
command -v python3 >/dev/null || plan skip_all "no python3"
plan 15
ipvs_clean

# an address routed into lo that nothing answers (see 38-checker-ping.t)
ip route add 198.51.100.38/32 dev lo &&
	on_exit "ip route del 198.51.100.38/32 dev lo"

count_start() { # NAME ADDR PORT: countsrv.py, N per negotiate, C per connect
	rm -f "$TEST_TMP/$1.ready"
	spawn python3 "$TEST_LIB_DIR/countsrv.py" "$2" "$3" "$TEST_TMP/$1.log" \
		"$TEST_TMP/$1.ready"
	eval "${1}_pid=\$spawned_pid"
	wait_for 60 test -e "$TEST_TMP/$1.ready" || bail_out "no server $1"
}
hits() { cat "$TEST_TMP/$1.log" 2>/dev/null; }
nhits() { local h; h=$(hits "$1"); echo "${#h}"; }
nhits_ge() { (($(nhits "$1") >= $2)); }
udp_weight_is() { # VIP:PORT RIP:PORT WEIGHT, as weight_is for UDP
	[ "$(ipvsadm -Ln -u "$1" 2>/dev/null | awk -v r="$2" '
		$1 == "->" && $2 == r { w = $4 }
		END { print (w == "" ? "absent" : w) }')" = "$3" ]
}

count_start shared 127.0.0.41 3903
count_start comb 127.0.0.42 3904
cat >"$TEST_TMP/udp.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
open(sys.argv[3], "w").close()
while True:
    s.recv(2048)
EOF
spawn python3 "$TEST_TMP/udp.py" 127.0.0.43 5353 "$TEST_TMP/udp.ready"
wait_for 60 test -e "$TEST_TMP/udp.ready" || bail_out "no UDP server"

shared_block() {
	printf 'virtual=%s\n\treal=127.0.0.41:3903 masq 1\n\tchecktype=connect\n' "$1"
}
lvsd_conf "checkinterval=2
checktimeout=3
quiescent=yes

virtual=127.0.0.139:80
	real=127.0.0.39:80 masq 2
	real=198.51.100.38:80 masq 3
	checktype=ping

$(shared_block 127.0.0.140:3903)
$(shared_block 127.0.0.141:3903)
$(shared_block 127.0.0.142:3903)

virtual=127.0.0.143:3904
	real=127.0.0.42:3904 masq 5
	checktype=2
	service=simpletcp
	request=\"hello\"
	receive=\"^OK\"

virtual=127.0.0.144:5353
	protocol=udp
	real=127.0.0.43:5353 masq 4
	real=127.0.0.43:5354 masq 6
	checktype=connect"

ok "lvsd -t accepts ping, checktype 2 and connect over UDP" \
	"$LVSD_TOP/parent/lvsd" -t -f "$LVSD_CF"
lvsd_start
ok "a real that answers pings gets its weight" \
	wait_for 120 weight_is 127.0.0.139:80 127.0.0.39:80 2
ok "one that does not is quiesced" \
	wait_for 60 weight_is 127.0.0.139:80 198.51.100.38:80 0
ok "the shared real is in all three virtual services" \
	wait_for 60 eval 'weight_is 127.0.0.140:3903 127.0.0.41:3903 1 &&
	    weight_is 127.0.0.141:3903 127.0.0.41:3903 1 &&
	    weight_is 127.0.0.142:3903 127.0.0.41:3903 1'
ok "checktype 2: in" wait_for 60 weight_is 127.0.0.143:3904 127.0.0.42:3904 5
ok "connect over UDP to a bound port: in" \
	wait_for 60 udp_weight_is 127.0.0.144:5353 127.0.0.43:5353 4
ok "connect over UDP to a closed port: quiesced" \
	wait_for 60 udp_weight_is 127.0.0.144:5353 127.0.0.43:5354 0

# the window is timed around the reads too: a loaded VM stretches it
t0=$(_t_now_us)
before=$(nhits shared)
sleep 10
probes=$(($(nhits shared) - before))
secs=$((($(_t_now_us) - t0 + 999999) / 1000000))
note "the shared real: $probes connections in $secs s at checkinterval 2" \
	"($(lvsd_log | grep -c 'restarting checker') checker restarts so far)"
ok "the shared real is probed once per interval, not three times ($probes in $secs s)" \
	test "$probes" -ge 1 -a "$probes" -le $((secs / 2 + 3))

ok "checktype 2 has run seven checks" wait_for 120 nhits_ge comb 7
like "$(hits comb)" "^NCCNCCN" "  negotiate, connect, connect, negotiate ..."

stop_pid "$shared_pid"
ok "the shared real stopped: quiesced in all three at once" \
	wait_for 60 eval 'weight_is 127.0.0.140:3903 127.0.0.41:3903 0 &&
	    weight_is 127.0.0.141:3903 127.0.0.41:3903 0 &&
	    weight_is 127.0.0.142:3903 127.0.0.41:3903 0'
is "$(lvsd_log | grep -c 'real 127.0.0.41:3903 down')" 1 \
	"  one check, one state change logged"

nok "no child was killed by its sandbox" grep -q SIGSYS "$lvsd_logfile"
nok "the parent had its raw sockets" grep -q "no raw ICMP" "$lvsd_logfile"
ok "lvsd stops" "$LVSD_TOP/parent/lvsd" -f "$LVSD_CF" stop
