#!/bin/bash
# lvsd-checker's simpletcp check of a UDP service against scripted UDP
# servers (udpsrv.py): the request goes as one datagram, sent again while
# nothing comes; a reply datagram whose line matches receive is up; a
# wrong reply, a reply over the bound, silence and a closed port (ICMP
# port unreachable) are down, each with its reason.  Needs root (chroot
# and setuid) but no IPVS; the production seccomp filter is in force.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

command -v python3 >/dev/null || plan skip_all "no python3"

plan 19

# srv N MODE: a scripted server on 127.0.44.N:2000; its log is srv.N.log
srv() {
	spawn python3 "$TEST_LIB_DIR/udpsrv.py" "127.0.44.$1" 2000 "$2" \
		"$TEST_TMP/srv.$1.log" "$TEST_TMP/srv.$1.ready"
	wait_for 20 test -e "$TEST_TMP/srv.$1.ready" ||
		bail_out "no $2 server on 127.0.44.$1"
}
srvlog() { cat "$TEST_TMP/srv.$1.log" 2>/dev/null; }

srv 1 pong
srv 2 wrong
srv 3 silent
srv 4 late
srv 5 big
# 127.0.44.9: nobody listens

checker_driver_start
ok "the checker says it is ready" wait_for 10 has "ready"

a=127.0.44
# generous where the verdict must not be a timeout (the test VM is slow)
t="ntimeout=20000 interval=60000"
re='receive=^PONG.[0-9]+$'
send peer \
	"check 0 simpletcp udp $a.1 2000 $t request=/PING\\nHELLO $re" \
	"check 1 simpletcp udp $a.1 2000 $t request=x" \
	"check 2 simpletcp udp $a.2 2000 $t request=x $re" \
	"check 3 simpletcp udp $a.3 2000 ntimeout=3500 interval=60000 request=x $re" \
	"check 4 simpletcp udp $a.4 2000 $t request=late $re" \
	"check 5 simpletcp udp $a.5 2000 $t request=x $re" \
	"check 6 simpletcp udp $a.9 2000 $t request=x $re" \
	"conf 1 7"

expect 0 up "simpletcp: receive matched \\(udp\\)" \
	"a line of the reply matches receive: up"
expect 1 up "simpletcp: answered \\(udp\\)" "no receive: any reply is up"
expect 2 down "simpletcp: no line of the reply matched receive: 'PANG\\?'" \
	"a reply that does not match: down, quoted"
expect 3 down "simpletcp: no reply within 3500 ms" "silence: down at the timeout"
expect 4 up "simpletcp: receive matched \\(udp\\)" \
	"the first datagram unanswered: the resent one is: up"
expect 5 down "simpletcp: a reply of 3000 bytes, over 2048" \
	"a reply over the bound: down"
expect 6 down "simpletcp: (recv|send): Connection refused" \
	"a closed port (ICMP port unreachable): down"

ok "the request without its /, \\n as a newline, nothing added" \
	grep -qxF "b'PING\\nHELLO'" "$TEST_TMP/srv.1.log"
n3=$(grep -c . "$TEST_TMP/srv.3.log")
ok "silence: the request was sent again, at growing intervals ($n3)" \
	[ "$n3" -ge 2 -a "$n3" -le 3 ]
nok "no probe was killed by the sandbox" has_re "^killed"
send quit
ok "it exits when the parent hangs up" wait_for 10 has "exit 0"
wait "$driver_pid" 2>/dev/null
# shellcheck disable=SC2154 # lib.sh's count of failures
[ "$_t_failed" = 0 ] || diag "driver output:" "$(cat "$out")"
