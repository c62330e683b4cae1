#!/bin/bash
# lvsd-checker's check counts for `lvsd metrics`: in answer to a PING it
# sends one STATS per real checked since the last one (checks, failures
# by reason class, latency buckets), before the PONG, and starts again
# from zero; a check shared by several reals reports for each.  And a
# RESULT whose failure leaves the real below failurecount says its state
# is unknown, not down.  Needs root (chroot and setuid) but no IPVS; the
# production seccomp filter is in force.
. "$(dirname "$0")/lib.sh"
. "$TEST_LIB_DIR/checker.sh"

command -v python3 >/dev/null || plan skip_all "no python3"

plan 15

# a server that accepts connections and never says a word
spawn python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.48.1", 4800))
s.listen(64)
open(sys.argv[1], "w").close()
conns = []
while True:
    conns.append(s.accept()[0])
' "$TEST_TMP/ready"
wait_for 20 test -e "$TEST_TMP/ready" || bail_out "no silent server"
# 127.0.48.9:4800: nobody listens

checker_driver_start
ok "the checker says it is ready" wait_for 10 has "ready"

a=127.0.48
shared="connect tcp $a.1 4800 interval=300 ctimeout=20000"
send peer \
	"check 0 $shared" "check 3 $shared" \
	"check 1 connect tcp $a.9 4800 interval=300 ctimeout=20000" \
	"check 2 http tcp $a.1 4800 interval=300 ntimeout=400" \
	"check 4 connect tcp $a.9 4800 interval=60000 ctimeout=20000 fail=3" \
	"conf 1 5"

ok "a first failure below failurecount: the state is unknown" \
	wait_for 20 has_re "^result 1 4 down unknown [0-9]+ connect: Connection refused$"
ok "  and ipvsd is told nothing" eval '! has_re "^state 1 4 "'
ok "the silent server times out at least once" \
	wait_for 30 has_re "^result 1 2 down down [0-9]+ timeout after 400 ms$"

# split the stats lines between pongs: everything before "pong SEQ"
# and after "pong SEQ-1"
between() { # SEQ ID
	awk -v seq="$1" -v id="$2" '
		$1 == "pong" && $2 == seq - 1 { line = ""; next }
		$1 == "pong" && $2 == seq { print line; exit }
		$1 == "stats" && $3 == id { line = $0 }' "$out"
}

send "ping 1"
ok "the checker answers the PING" wait_for 20 has "pong 1"
s0=$(between 1 0); s1=$(between 1 1); s2=$(between 1 2); s3=$(between 1 3)
s4=$(between 1 4)
like "$s0" "^stats 1 0 [1-9][0-9]* [0-9]+ 0,0,0,0,0,0,0 " \
	"before the PONG: the up real's checks, no failure"
like "$s1" "^stats 1 1 ([1-9][0-9]*) [0-9]+ \1,0,0,0,0,0,0 " \
	"the refused real: every check failed, reason refused"
like "$s2" "^stats 1 2 ([1-9][0-9]*) [0-9]+ 0,\1,0,0,0,0,0 " \
	"the silent real: every check failed, reason timeout"
is "${s3#stats 1 3 }" "${s0#stats 1 0 }" \
	"a check shared by two reals: the same counts for each"
like "$s4" "^stats 1 4 1 [0-9]+ 1,0,0,0,0,0,0 " \
	"the real checked once: one check"
n2=${s2#stats 1 2 }; n2=${n2%% *}
buckets=$(echo "$s2" | awk '{ print $7 }')
ok "  each of its checks in one bucket, none under 100 ms (timeout 400 ms)" \
	eval 'echo "$buckets" | awk -F, -v n="$n2" "{ exit !(\$1 + \$2 + \$3 + \$4 + \$5 == 0 && \$6 + \$7 + \$8 + \$9 == n) }"'

# PING again until more probes of the refused real have ended
seq=1
while [ $seq -lt 40 ] && [ -z "$(between $seq 1)" -o $seq = 1 ]; do
	seq=$((seq + 1))
	send "ping $seq"
	wait_for 20 has "pong $seq" || break
done
ok "later PINGs are answered" has "pong $seq"
like "$(between $seq 1)" "^stats 1 1 [1-9][0-9]* " \
	"the refused real: new checks since the first PING"
is "$(grep -c '^stats 1 4 ' "$out")" 1 \
	"a real not checked since the first PING: no STATS for it"
ok "the checker did not die" eval '! has_re "^(exit|killed)"'
