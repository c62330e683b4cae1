#!/bin/bash
# lvsd-checker's engine checks, with checker-driver playing the parent
# (it opens the raw ICMP sockets as lvsd does and puts them on 4 and 5):
# checktype ping over IPv4 and IPv6, up and down (a host route into lo
# that nothing answers on, an unreachable route); connect over UDP (ping
# and datagram); checktype N (a server that logs negotiate and connect
# probes apart); one probe for a real shared by three virtuals, its
# failures counted once, kept over a reload; rise; what the filter lets
# the checker do with its raw sockets.  Needs root (raw
# sockets, routes, chroot) but no IPVS.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

[ "$(id -u)" = 0 ] || plan skip_all "needs root (raw sockets, routes, chroot)"
command -v python3 >/dev/null || plan skip_all "no python3"

plan 47

count() { grep -cxF -- "$1" "$out"; }
has2() { has "$1" && has "$2"; }

# ---- addresses that do not answer ------------------------------------------

# Into lo, but not local: the packet comes back in, is not for this host
# and is not forwarded, so the echo request goes unanswered.
ip route add 198.51.100.38/32 dev lo && on_exit "ip route del 198.51.100.38/32 dev lo"
ip route add unreachable 198.51.100.39/32 &&
	on_exit "ip route del unreachable 198.51.100.39/32"
have_v6=
if ping_v6=$(ip -6 addr show dev lo 2>/dev/null) && [ -n "$ping_v6" ] &&
	ip -6 route add 2001:db8:38::2/128 dev lo 2>/dev/null; then
	on_exit "ip -6 route del 2001:db8:38::2/128 dev lo"
	have_v6=1
fi

# ---- servers -----------------------------------------------------------------

# countsrv.py logs N for a negotiate (simpletcp), C for a connect probe
count_start() { # NAME ADDR PORT
	rm -f "$TEST_TMP/$1.ready"
	spawn python3 "$TEST_LIB_DIR/countsrv.py" "$2" "$3" "$TEST_TMP/$1.log" \
		"$TEST_TMP/$1.ready"
	eval "${1}_pid=\$spawned_pid"
	wait_for 20 test -e "$TEST_TMP/$1.ready" || bail_out "no server $1"
}
hits() { cat "$TEST_TMP/$1.log" 2>/dev/null; }
nhits() { local h; h=$(hits "$1"); echo "${#h}"; }
nhits_ge() { (($(nhits "$1") >= $2)); }

count_start comb 127.0.38.2 3800
count_start combbad 127.0.38.5 3800
count_start shared 127.0.38.4 3803

cat >"$TEST_TMP/udp.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
open(sys.argv[3], "w").close()
while True:
    s.recv(2048)
EOF
spawn python3 "$TEST_TMP/udp.py" 127.0.38.3 3801 "$TEST_TMP/udp.ready"
wait_for 20 test -e "$TEST_TMP/udp.ready" || bail_out "no UDP server"

# ---- the checker -------------------------------------------------------------

mkfifo "$TEST_TMP/cmd"
"$driver" "$checker" -u 65534:65534 -r "$empty" -v \
	<"$TEST_TMP/cmd" >"$out" 2>&1 &
_t_pids+=("$!")
exec 5>"$TEST_TMP/cmd"
on_exit "exec 5>&-"
ok "the checker is ready" wait_for 20 has ready

# ids 9, 10 and 11: one real in three virtual services, the same check
shared="connect tcp 127.0.38.4 3803 interval=1000 fail=2 ctimeout=2000"
send peer \
	"check 0 ping tcp 127.0.38.1 0" \
	"check 2 ping tcp 198.51.100.38 0 ctimeout=500" \
	"check 3 ping tcp 198.51.100.39 0" \
	"check 5 connect udp 127.0.38.3 3801 ctimeout=2000" \
	"check 6 connect udp 127.0.38.3 3802" \
	"check 7 connect udp 198.51.100.38 3801 ctimeout=500" \
	"check 8 simpletcp tcp 127.0.38.2 3800 combined=2 interval=300 request=hello receive=^OK" \
	"check 12 simpletcp tcp 127.0.38.5 3800 combined=2 interval=300 request=hello receive=^NOPE" \
	"check 9 $shared" "check 10 $shared" "check 11 $shared" \
	"check 13 connect tcp 127.0.38.6 3804 interval=300 rise=3" \
	"check 14 ping tcp 198.51.100.38 0 ctimeout=300 count=2"
if [ -n "$have_v6" ]; then
	send "check 1 ping tcp ::1 0" \
		"check 4 ping tcp 2001:db8:38::2 0 ctimeout=500"
fi
send "conf 1 15"

# ---- ping --------------------------------------------------------------------

ok "ping 127.0.38.1: up" wait_for 20 has "state 1 0 up"
ok "  because: an echo reply" has_re "^result 1 0 up up [0-9]+ ping: echo reply in [0-9.]+ ms$"
ok "ping of an address nothing answers: down" wait_for 20 has "state 1 2 down"
ok "  because: no reply" has_re "^result 1 2 down down [0-9]+ ping: no echo reply within 500 ms$"
ok "ping of an unreachable address: down" wait_for 20 has "state 1 3 down"
ok "  because: the route says so" has_re "^result 1 3 down down [0-9]+ ping: No route to host$"
if [ -n "$have_v6" ]; then
	ok "ping ::1: up" wait_for 20 has "state 1 1 up"
	ok "  because: an ICMPv6 echo reply" has_re "^result 1 1 up up [0-9]+ ping: echo reply in"
	ok "IPv6 ping of an address nothing answers: down" wait_for 20 has "state 1 4 down"
	ok "  because: no reply" has_re "^result 1 4 down down [0-9]+ ping: no echo reply within 500 ms$"
else
	skip "no IPv6 on lo" 4
fi
ok "checkcount 2: down" wait_for 20 has "state 1 14 down"
ok "  after two echo requests" has_re "^result 1 14 down down [0-9]+ ping: no echo reply to 2 requests, 300 ms each$"

# ---- connect over UDP ----------------------------------------------------------

ok "udp connect to a bound port of a host that answers: up" wait_for 20 has "state 1 5 up"
ok "  because: echo reply, no port unreachable" has_re "^result 1 5 up up [0-9]+ udp: echo reply, no port unreachable$"
ok "udp connect to a closed port: down" wait_for 20 has "state 1 6 down"
ok "  because: port unreachable" has_re "^result 1 6 down down [0-9]+ udp: Connection refused$"
ok "udp connect to a host that does not answer: down" wait_for 20 has "state 1 7 down"
ok "  because: no echo reply" has_re "^result 1 7 down down [0-9]+ udp: no echo reply within 500 ms$"

# ---- checktype N ---------------------------------------------------------------

ok "checktype 2: up" wait_for 20 has "state 1 8 up"
ok "checktype 2 runs seven probes" wait_for 30 nhits_ge comb 7
like "$(hits comb)" "^NCCNCCN" "  negotiate, connect, connect, negotiate ..."
ok "checktype 2 whose negotiate fails: down" wait_for 20 has "state 1 12 down"
ok "  runs four probes" wait_for 30 nhits_ge combbad 4
like "$(hits combbad)" "^NNNN" "  all of them negotiate: no connect after a failure"

# ---- one probe for a real in three virtual services ------------------------------

ok "the shared real: up under its first id" wait_for 20 has "state 1 9 up"
ok "  and under the other two" has2 "state 1 10 up" "state 1 11 up"
ok "  with a result for each id" has_re "^result 1 11 up up [0-9]+ connect: connected$"
# the window is timed around the reads too: a loaded VM stretches it
t0=$(_t_now_us)
before=$(nhits shared)
sleep 5
after=$(nhits shared)
secs=$((($(_t_now_us) - t0 + 999999) / 1000000))
probes=$((after - before))
note "the shared real: $probes connections in $secs s at interval 1 s"
ok "  is probed once per interval, not three times ($probes in $secs s)" \
	test "$probes" -ge 1 -a "$probes" -le $((secs + 3))

# a reload that numbers the three reals 10, 11 and 12: the probe is kept
send peer "check 0 ping tcp 127.0.38.1 0" \
	"check 10 $shared" "check 11 $shared" "check 12 $shared" "conf 2 13"
ok "after a reload its state is known under the new ids" \
	wait_for 20 has "state 2 12 up"
# a new check would report its first verdict; a kept one, steady, says
# nothing more
sleep 2.5
nok "  kept: the same check, its state not probed afresh" \
	grep -qE "^result 2 1[012] " "$out"

stop_pid "$shared_pid"
ok "the shared real stopped: down under every id" wait_for 20 has "state 2 12 down"
ok "  and the others" has2 "state 2 10 down" "state 2 11 down"
is "$(count "state 2 10 down")" 1 "  one change"
is "$(grep -c '^result 2 10 down up ' "$out")" 1 \
	"failurecount 2: one soft failure, counted once for the three ids"

# ---- rise --------------------------------------------------------------------------

send peer "check 13 connect tcp 127.0.38.6 3804 interval=300 rise=3" "conf 3 14"
ok "rise 3: a real with no server is down" wait_for 20 has "state 3 13 down"
count_start rise 127.0.38.6 3804
ok "  it comes back when the server is there" wait_for 20 has "state 3 13 up"
ok "  after three good probes, not one" \
	has_re "real 127.0.38.6:3804 success 2 of 3 to rise"

send quit
ok "the checker exits normally: the seccomp filter let all of it through" \
	wait_for 20 has "exit 0"

# ---- what a compromised checker can do with the raw sockets ---------------------------

probe=$TEST_LIB_DIR/checker-filter-probe
run_probe() { ("$probe" 65534:65534 "$empty" "$1" 2>/dev/null); echo $?; }
is "$(run_probe opts)" 31 \
	"under the checker's filter: IP_HDRINCL, ICMP_FILTER, SO_BROADCAST, IPV6_HDRINCL on its raw sockets fail (EPERM), TCP_NODELAY works"
is "$(run_probe raw)" 159 "a raw socket of its own: killed by SIGSYS"
is "$(run_probe bind)" 159 "bind() of its raw socket: killed by SIGSYS"

# ---- without the raw sockets (lvsd not run as root) ---------------------------------

out=$TEST_TMP/noicmp.out
mkfifo "$TEST_TMP/cmd2"
CHECKER_DRIVER_NO_ICMP=1 "$driver" "$checker" -u 65534:65534 -r "$empty" \
	<"$TEST_TMP/cmd2" >"$out" 2>&1 &
_t_pids+=("$!")
exec 5>"$TEST_TMP/cmd2"
send peer "check 0 ping tcp 127.0.38.1 0" \
	"check 1 connect udp 127.0.38.3 3801 ctimeout=300" "conf 1 2"
ok "no raw socket: a ping is down" wait_for 20 has "state 1 0 down"
ok "  and says why" has_re "^result 1 0 down down [0-9]+ ping: no raw ICMP socket for this family \(is lvsd root\?\)$"
ok "  a UDP connect falls back to the port alone" wait_for 20 has "state 1 1 up"
ok "  and says so" has_re "^result 1 1 up up [0-9]+ udp: no error within 300 ms \(no raw ICMP socket: host not pinged\)$"
send quit
ok "  the checker exits normally" wait_for 20 has "exit 0"
